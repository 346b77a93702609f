package action

import (
	"text/template"
	"text/template/parse"
)

// escapeJSON makes every value a body template prints JSON-string escaped,
// the way html/template makes values HTML-safe: it appends the escaper to
// the pipeline of every printing action in every template of the set.
// Pipelines already ending in json print a complete JSON value and are left
// alone; assignments print nothing and are skipped.
func escapeJSON(t *template.Template) {
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			escapeNode(tt.Tree.Root)
		}
	}
}

func escapeNode(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			escapeNode(c)
		}
	case *parse.ActionNode:
		escapePipe(n.Pipe)
	case *parse.IfNode:
		escapeNode(n.List)
		escapeNode(n.ElseList)
	case *parse.RangeNode:
		escapeNode(n.List)
		escapeNode(n.ElseList)
	case *parse.WithNode:
		escapeNode(n.List)
		escapeNode(n.ElseList)
	}
}

func escapePipe(p *parse.PipeNode) {
	if p == nil || len(p.Decl) > 0 || endsWith(p, "json") {
		return
	}
	ident := parse.NewIdentifier(escapeFunc).SetPos(p.Pos)
	p.Cmds = append(p.Cmds, &parse.CommandNode{NodeType: parse.NodeCommand, Pos: p.Pos, Args: []parse.Node{ident}})
}

// endsWith reports whether the pipeline's last command calls function fn.
func endsWith(p *parse.PipeNode, fn string) bool {
	if len(p.Cmds) == 0 {
		return false
	}
	last := p.Cmds[len(p.Cmds)-1]
	id, ok := last.Args[0].(*parse.IdentifierNode)
	return ok && id.Ident == fn
}
