fn main() {
    // Only the Node addon needs N-API link arguments; the CLI build stays a plain binary.
    if std::env::var_os("CARGO_FEATURE_NAPI").is_some() {
        napi_build::setup();
    }
}
