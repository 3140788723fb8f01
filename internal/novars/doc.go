// Package novars checks, from a package's own tests, that the package
// exports no mutable variable: nothing a caller could reassign to change
// how the package behaves for everyone. Error sentinels (names starting
// with Err) are the one exception the project allows, and generated code
// (abigen's MetaData variables) is exempted by name.
//
// A package's test is one call:
//
//	func TestNoExportedVariables(t *testing.T) { novars.Check(t, ".") }
package novars
