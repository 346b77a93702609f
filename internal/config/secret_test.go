package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const clear = "hunter2-clear-token"

func configWithToken() Config {
	c := Default()
	c.Admin.Token = clear
	return c
}

func TestSecretHiddenFromFmt(t *testing.T) {
	c := configWithToken()
	// Verbs are in a variable so vet lets us try the wrong ones too: fmt
	// prints a wrong verb's operand in its error text.
	for _, verb := range []string{"%v", "%s", "%+v", "%#v", "%q", "%x", "%X", "%d", "%20s", "%-8v", "%T %v"} {
		for name, arg := range map[string]any{"secret": c.Admin.Token, "config": c, "pointer": &c, "admin": c.Admin} {
			out := fmt.Sprintf(verb, arg)
			if strings.Contains(out, clear) || strings.Contains(out, fmt.Sprintf("%x", clear)) {
				t.Errorf("Sprintf(%s, %s) leaks the secret: %s", verb, name, out)
			}
		}
	}
	if got := fmt.Sprint(c.Admin.Token); got != redacted {
		t.Errorf("Sprint = %q, want %q", got, redacted)
	}
	if got := fmt.Sprintf("%#v", c.Admin.Token); got != `"<redacted>"` {
		t.Errorf("%%#v = %s, want the redacted string in Go syntax", got)
	}
}

func TestEmptySecretPrintsEmpty(t *testing.T) {
	var s Secret
	if got := fmt.Sprintf("[%v]", s); got != "[]" {
		t.Errorf("empty secret prints %q: an unset token must not look set", got)
	}
}

func TestSecretHiddenFromJSON(t *testing.T) {
	out, err := json.Marshal(configWithToken())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), clear) {
		t.Fatalf("json leaks the secret: %s", out)
	}
	var back struct{ Admin struct{ Token string } }
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if back.Admin.Token != redacted {
		t.Errorf("json token = %q, want %q", back.Admin.Token, redacted)
	}
}

func TestSecretHiddenFromYAML(t *testing.T) {
	out, err := yaml.Marshal(configWithToken())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), clear) {
		t.Fatalf("yaml leaks the secret:\n%s", out)
	}
	if !strings.Contains(string(out), "token: <redacted>") {
		t.Errorf("yaml does not show the token as redacted:\n%s", out)
	}
}

// A dumped configuration loaded back must not turn the placeholder into the
// admin token, which anyone could guess.
func TestDumpedConfigRefusesPlaceholderToken(t *testing.T) {
	out, err := yaml.Marshal(configWithToken())
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(out)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "admin.token") {
		t.Fatalf("Parse(dump) err = %v, want ErrInvalid naming admin.token", err)
	}
}

func TestSecretReveal(t *testing.T) {
	if got := configWithToken().Admin.Token.Reveal(); got != clear {
		t.Errorf("Reveal() = %q, want %q", got, clear)
	}
}

func TestAdminToken(t *testing.T) {
	cases := []struct {
		name, file, env, envValue, want string
	}{
		{"file wins over env", "from-file", "LIFEBOAT_TEST_TOKEN", "from-env", "from-file"},
		{"env when file empty", "", "LIFEBOAT_TEST_TOKEN", "from-env", "from-env"},
		{"env var unset", "", "LIFEBOAT_TEST_TOKEN", "", ""},
		{"no env named", "", "", "from-env", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("LIFEBOAT_TEST_TOKEN", tc.envValue)
			c := Default()
			c.Admin.Token, c.Admin.TokenEnv = Secret(tc.file), tc.env
			if got := c.AdminToken().Reveal(); got != tc.want {
				t.Errorf("AdminToken() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAdminTokenFromParsedFile(t *testing.T) {
	t.Setenv("LIFEBOAT_ADMIN_TOKEN", "default-env-token")
	c, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.AdminToken().Reveal(); got != "default-env-token" {
		t.Errorf("AdminToken() = %q, want the default env var's value", got)
	}
	c, err = Parse([]byte("admin: {token: file-token}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.AdminToken().Reveal(); got != "file-token" {
		t.Errorf("AdminToken() = %q, want the file's token", got)
	}
}

func TestValidateNeverEchoesTheToken(t *testing.T) {
	c := Default()
	c.Admin.Token = clear + "\n"
	err := c.Validate()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid for a token with a line break", err)
	}
	if strings.Contains(err.Error(), clear) {
		t.Errorf("validation error leaks the token: %v", err)
	}
}
