package exported

// Vars in test files are not the package's API.
var TestOnly = use()
