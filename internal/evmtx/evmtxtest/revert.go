package evmtxtest

// Reverted returns an RPC error carrying data, as a node answers a call or
// a gas estimate that reverted (an rpc.DataError): data is the revert
// data's hex string, or anything else a hostile node might send.
func Reverted(data any) error { return dataError{data} }

type dataError struct{ data any }

func (e dataError) Error() string  { return "execution reverted" }
func (e dataError) ErrorData() any { return e.data }
