//go:build tools

// Package tools pins the Pulumi Node.js language host (the last sdk/v3 release that
// carried it as a package; later it became a module the Go proxy does not serve).
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
