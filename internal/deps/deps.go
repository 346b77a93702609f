package deps
import (
 _ "github.com/prometheus/client_golang/prometheus"
 _ "go.yaml.in/yaml/v3"
 _ "github.com/hashicorp/golang-lru/v2"
 _ "golang.org/x/sync/semaphore"
)
