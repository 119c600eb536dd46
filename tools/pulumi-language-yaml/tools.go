//go:build tools

// Package tools pins the Pulumi YAML language host. pulumi-yaml v1.25.0 does not compile
// against pkg/v3 v3.260.0 (the CLI's), so it builds against the lowest pkg/sdk pair it
// accepts that the Go module proxy serves, v3.207.0.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
