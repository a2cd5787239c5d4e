//! The compatibility flags the Workers runtime knows, with the dates that turn them on.
//!
//! wrangler passes `compatibility_flags` through untouched, so a misspelt or experimental flag
//! only fails once Cloudflare's API compiles the Worker. This table lets a check fail it first.
//!
//! Source: `src/workerd/io/compatibility-date.capnp` in `cloudflare/workerd` at commit
//! `6552d999c79ef651b5463c6d692d065a8ce6f859` (release 2026-08-22). Cloudflare updates its
//! runtime several times a week, so the table follows the newest workerd release rather than the
//! older one a given wrangler bundles for local development; [`ADDED_AFTER_WRANGLER_4_86_0`]
//! lists the names that wrangler 4.86.0's own runtime does not know yet. `docs/platform-facts.md`
//! gives every source.

/// One compatibility flag the Workers runtime accepts.
///
/// Each runtime feature has an enable flag and usually a disable flag; both are entries here, and
/// `opposite` links the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompatibilityFlag {
    /// The name as written in `compatibility_flags`.
    pub name: &'static str,
    /// On an enable flag, the first compatibility date (`YYYY-MM-DD`) on which the feature is on
    /// without the flag. `None` on disable flags (their opposite carries the date) and on
    /// features that no date turns on. A feature that every date turns on carries `2000-01-01`,
    /// the earliest date the runtime parses.
    pub enable_date: Option<&'static str>,
    /// The flag that asks for the opposite, if the runtime defines one. Naming both is an error.
    pub opposite: Option<&'static str>,
    /// Whether Cloudflare refuses this flag: the enable side of a feature marked `$experimental`,
    /// which only Cloudflare's own test accounts may turn on. The disable side of such a feature
    /// is never refused, because the runtime only checks features being turned on.
    pub experimental: bool,
}

/// A feature that another flag turns on from a compatibility date, without a date of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImpliedFlag {
    /// The enable flag of the implied feature.
    pub flag: &'static str,
    /// Enable flags of which any one, when on, turns `flag` on too.
    pub implied_by: &'static [&'static str],
    /// The first compatibility date on which the implication holds.
    pub date: &'static str,
}

/// The flag that lets Node.js built-ins load by bare name (`crypto` as well as `node:crypto`),
/// and also puts `Buffer` and `process` on the global scope.
pub const BARE_NODE_BUILTINS_FLAG: &str = "nodejs_compat_v2";

/// From this compatibility date `nodejs_compat` implies `nodejs_compat_v2`, so bare Node.js
/// built-in names resolve for any Worker that names `nodejs_compat`. Naming
/// `no_nodejs_compat_v2` keeps the older behaviour, where only `node:` names resolve.
pub const NODEJS_COMPAT_IMPLIES_V2_FROM: &str = "2024-09-23";

/// From this compatibility date both `nodejs_compat` and `nodejs_compat_v2` are on without any
/// flag. Turning Node.js compatibility off then takes both `no_nodejs_compat` and
/// `no_nodejs_compat_v2`, since each feature has its own date.
pub const NODEJS_COMPAT_DEFAULT_FROM: &str = "2026-08-04";

/// The workerd release that wrangler 4.86.0 depends on for `wrangler dev`; its version encodes
/// its release date.
pub const WRANGLER_4_86_0_WORKERD_VERSION: &str = "1.20260426.1";

/// The newest compatibility date wrangler 4.86.0's runtime reports as supported (the `workerd`
/// package's `compatibilityDate`); Miniflare uses it, or today if that is earlier.
pub const WRANGLER_4_86_0_SUPPORTED_DATE: &str = "2026-04-26";

/// The hard ceiling compiled into wrangler 4.86.0's workerd binary (its release date plus a
/// week): a later compatibility date makes that binary refuse the Worker outright.
pub const WRANGLER_4_86_0_MAX_DATE: &str = "2026-05-03";

/// Flag names that Cloudflare accepts but wrangler 4.86.0's workerd (1.20260426.1) does not know,
/// so `wrangler dev` on that version refuses them even though a deploy may succeed.
pub const ADDED_AFTER_WRANGLER_4_86_0: &[&str] = &[
    "auto_grpc_convert",
    "d1_binding_jsrpc",
    "disable_python_process_pth_files",
    "enable_nodejs_inspector_local_dev",
    "expose_draining_reader",
    "no_python_workers_20260610",
    "no_python_workers_20260817",
    "no_throw_on_not_implemented_tls_options",
    "python_process_pth_files",
    "python_workers_20260610",
    "python_workers_20260817",
    "throw_on_not_implemented_tls_options",
    "typescript_implemented_streams",
    "wasm_memory_discard",
    "workflows_bindings_rpc",
    "workflows_disable_fast_engine_creation",
    "workflows_enable_fast_engine_creation",
    "workflows_step_rollback",
];

/// Flags that were experimental in wrangler 4.86.0's workerd but no longer are: local
/// development there refuses them without `--experimental`, Cloudflare now accepts them.
pub const EXPERIMENTAL_ONLY_IN_WRANGLER_4_86_0: &[&str] =
    &["allow_irrevocable_stub_storage", "new_module_registry"];

/// Builds one table row.
const fn flag(
    name: &'static str,
    enable_date: Option<&'static str>,
    opposite: Option<&'static str>,
    experimental: bool,
) -> CompatibilityFlag {
    CompatibilityFlag { name, enable_date, opposite, experimental }
}

/// Every flag name the runtime knows, sorted by `name` (byte order) for [`find`].
pub const COMPATIBILITY_FLAGS: &[CompatibilityFlag] = &[
    flag("add_nodejs_compat_eol", None, Some("remove_nodejs_compat_eol"), false),
    flag("add_nodejs_compat_eol_v22", None, Some("remove_nodejs_compat_eol_v22"), false),
    flag("add_nodejs_compat_eol_v23", None, Some("remove_nodejs_compat_eol_v23"), false),
    flag("add_nodejs_compat_eol_v24", None, Some("remove_nodejs_compat_eol_v24"), false),
    flag("allow_custom_ports", Some("2024-09-02"), Some("ignore_custom_ports"), false),
    flag(
        "allow_eval_during_startup",
        Some("2025-06-01"),
        Some("disallow_eval_during_startup"),
        false,
    ),
    flag("allow_importable_env", None, Some("disallow_importable_env"), false),
    flag("allow_insecure_inefficient_logged_eval", None, None, true),
    flag("allow_irrevocable_stub_storage", None, None, false),
    flag(
        "assets_navigation_has_no_effect",
        None,
        Some("assets_navigation_prefers_asset_serving"),
        false,
    ),
    flag(
        "assets_navigation_prefers_asset_serving",
        Some("2025-04-01"),
        Some("assets_navigation_has_no_effect"),
        false,
    ),
    flag("auto_grpc_convert", None, None, true),
    flag(
        "bind_asynclocalstorage_snapshot_to_request",
        Some("2025-06-16"),
        Some("do_not_bind_asynclocalstorage_snapshot_to-request"),
        false,
    ),
    flag("blob_legacy_mime_type", None, Some("blob_standard_mime_type"), false),
    flag("blob_standard_mime_type", Some("2024-06-03"), Some("blob_legacy_mime_type"), false),
    flag("brotli_content_encoding", Some("2024-04-29"), Some("no_brotli_content_encoding"), false),
    flag("cache_api_compat_flags", Some("2025-04-19"), Some("no_cache_api_compat_flags"), false),
    flag(
        "cache_api_request_cf_overrides_cache_rules",
        Some("2025-05-19"),
        Some("no_cache_api_request_cf_overrides_cache_rules"),
        false,
    ),
    flag("cache_no_cache_disabled", None, Some("cache_no_cache_enabled"), false),
    flag("cache_no_cache_enabled", None, Some("cache_no_cache_disabled"), false),
    flag("cache_option_disabled", None, Some("cache_option_enabled"), false),
    flag("cache_option_enabled", Some("2024-11-11"), Some("cache_option_disabled"), false),
    flag("cache_reload_disabled", None, Some("cache_reload_enabled"), false),
    flag("cache_reload_enabled", None, Some("cache_reload_disabled"), true),
    flag(
        "capture_async_api_throws",
        Some("2022-10-31"),
        Some("do_not_capture_async_api_throws"),
        false,
    ),
    flag("cf_botmanagement_default", None, Some("no_cf_botmanagement_default"), false),
    flag("connect_pass_through", None, None, true),
    flag(
        "containers_pid_namespace",
        Some("2026-04-01"),
        Some("no_containers_pid_namespace"),
        false,
    ),
    flag("cots_on_external_fetch", None, Some("no_cots_on_external_fetch"), false),
    flag(
        "crypto_preserve_public_exponent",
        Some("2023-12-01"),
        Some("no_crypto_preserve_public_exponent"),
        false,
    ),
    flag("d1_binding_jsrpc", None, None, true),
    flag("delete_all_deletes_alarm", Some("2026-02-24"), Some("delete_all_preserves_alarm"), false),
    flag("delete_all_preserves_alarm", None, Some("delete_all_deletes_alarm"), false),
    flag(
        "diagnostics_channel_has_subscribers_getter",
        Some("2026-05-19"),
        Some("no_diagnostics_channel_has_subscribers_getter"),
        false,
    ),
    flag("disable_ctx_exports", None, Some("enable_ctx_exports"), false),
    flag("disable_email_sending_queuing", None, Some("enable_email_sending_queuing"), false),
    flag("disable_fast_jsg_struct", None, Some("enable_fast_jsg_struct"), false),
    flag(
        "disable_global_performance_classes",
        None,
        Some("enable_global_performance_classes"),
        false,
    ),
    flag("disable_navigator_language", None, Some("enable_navigator_language"), false),
    flag(
        "disable_nodejs_child_process_module",
        None,
        Some("enable_nodejs_child_process_module"),
        false,
    ),
    flag("disable_nodejs_cluster_module", None, Some("enable_nodejs_cluster_module"), false),
    flag("disable_nodejs_console_module", None, Some("enable_nodejs_console_module"), false),
    flag("disable_nodejs_dgram_module", None, Some("enable_nodejs_dgram_module"), false),
    flag("disable_nodejs_domain_module", None, Some("enable_nodejs_domain_module"), false),
    flag("disable_nodejs_fs_module", None, Some("enable_nodejs_fs_module"), false),
    flag("disable_nodejs_http2_module", None, Some("enable_nodejs_http2_module"), false),
    flag("disable_nodejs_http_modules", None, Some("enable_nodejs_http_modules"), false),
    flag(
        "disable_nodejs_http_server_modules",
        None,
        Some("enable_nodejs_http_server_modules"),
        false,
    ),
    flag("disable_nodejs_inspector_module", None, Some("enable_nodejs_inspector_module"), false),
    flag("disable_nodejs_os_module", None, Some("enable_nodejs_os_module"), false),
    flag("disable_nodejs_perf_hooks_module", None, Some("enable_nodejs_perf_hooks_module"), false),
    flag("disable_nodejs_process_v2", None, Some("enable_nodejs_process_v2"), false),
    flag("disable_nodejs_punycode_module", None, Some("enable_nodejs_punycode_module"), false),
    flag("disable_nodejs_readline_module", None, Some("enable_nodejs_readline_module"), false),
    flag("disable_nodejs_repl_module", None, Some("enable_nodejs_repl_module"), false),
    flag("disable_nodejs_sqlite_module", None, Some("enable_nodejs_sqlite_module"), false),
    flag(
        "disable_nodejs_stream_wrap_module",
        None,
        Some("enable_nodejs_stream_wrap_module"),
        false,
    ),
    flag(
        "disable_nodejs_trace_events_module",
        None,
        Some("enable_nodejs_trace_events_module"),
        false,
    ),
    flag("disable_nodejs_tty_module", None, Some("enable_nodejs_tty_module"), false),
    flag("disable_nodejs_v8_module", None, Some("enable_nodejs_v8_module"), false),
    flag("disable_nodejs_vm_module", None, Some("enable_nodejs_vm_module"), false),
    flag("disable_nodejs_wasi_module", None, Some("enable_nodejs_wasi_module"), false),
    flag(
        "disable_nodejs_worker_threads_module",
        None,
        Some("enable_nodejs_worker_threads_module"),
        false,
    ),
    flag("disable_python_check_rng_state", None, Some("python_check_rng_state"), false),
    flag("disable_python_dedicated_snapshot", None, Some("python_dedicated_snapshot"), false),
    flag("disable_python_external_sdk", None, Some("enable_python_external_sdk"), false),
    flag("disable_python_no_global_handlers", None, Some("python_no_global_handlers"), false),
    flag("disable_python_process_pth_files", None, Some("python_process_pth_files"), false),
    flag(
        "disable_python_request_headers_preserve_commas",
        None,
        Some("python_request_headers_preserve_commas"),
        false,
    ),
    flag("disable_python_workflows", None, Some("python_workflows"), false),
    flag("disable_request_signal", None, Some("enable_request_signal"), false),
    flag(
        "disable_streams_nodejs_v24_compat",
        None,
        Some("enable_streams_nodejs_v24_compat"),
        false,
    ),
    flag("disable_text_decoder_cjk_decoder", None, Some("text_decoder_cjk_decoder"), false),
    flag(
        "disable_text_decoder_replace_surrogates",
        None,
        Some("text_decoder_replace_surrogates"),
        false,
    ),
    flag(
        "disable_top_level_await_in_require",
        Some("2024-12-02"),
        Some("enable_top_level_await_in_require"),
        false,
    ),
    flag(
        "disable_validate_workflow_entrypoint",
        None,
        Some("enable_validate_workflow_entrypoint"),
        false,
    ),
    flag("disable_weak_ref", None, Some("enable_weak_ref"), false),
    flag("disallow_eval_during_startup", None, Some("allow_eval_during_startup"), false),
    flag("disallow_importable_env", None, Some("allow_importable_env"), false),
    flag(
        "do_not_bind_asynclocalstorage_snapshot_to-request",
        None,
        Some("bind_asynclocalstorage_snapshot_to_request"),
        false,
    ),
    flag("do_not_capture_async_api_throws", None, Some("capture_async_api_throws"), false),
    flag("do_not_set_tostring_tag", None, Some("set_tostring_tag"), false),
    flag("do_not_strip_bom_in_read_all_text", None, Some("strip_bom_in_read_all_text"), false),
    flag(
        "dont_substitute_null_on_type_error",
        Some("2022-06-01"),
        Some("substitute_null_on_type_error"),
        false,
    ),
    flag("durable_object_alarms", None, None, false),
    flag(
        "durable_object_fetch_allows_relative_url",
        None,
        Some("durable_object_fetch_requires_full_url"),
        false,
    ),
    flag(
        "durable_object_fetch_requires_full_url",
        Some("2021-11-10"),
        Some("durable_object_fetch_allows_relative_url"),
        false,
    ),
    flag("durable_object_get_existing", None, None, true),
    flag("durable_object_rename", None, None, true),
    flag(
        "dynamic_dispatch_treat_exceptions_as_500",
        None,
        Some("dynamic_dispatch_tunnel_exceptions"),
        false,
    ),
    flag(
        "dynamic_dispatch_tunnel_exceptions",
        Some("2023-03-01"),
        Some("dynamic_dispatch_treat_exceptions_as_500"),
        false,
    ),
    flag("enable_abortsignal_rpc", None, None, true),
    flag("enable_ctx_exports", Some("2025-11-17"), Some("disable_ctx_exports"), false),
    flag("enable_ctx_version_metadata", None, None, true),
    flag("enable_d1_with_sessions_api", None, None, true),
    flag("enable_email_sending_queuing", None, Some("disable_email_sending_queuing"), false),
    flag("enable_fast_jsg_struct", Some("2025-12-03"), Some("disable_fast_jsg_struct"), false),
    flag(
        "enable_global_performance_classes",
        None,
        Some("disable_global_performance_classes"),
        false,
    ),
    flag(
        "enable_navigator_language",
        Some("2025-05-19"),
        Some("disable_navigator_language"),
        false,
    ),
    flag(
        "enable_nodejs_child_process_module",
        None,
        Some("disable_nodejs_child_process_module"),
        false,
    ),
    flag("enable_nodejs_cluster_module", None, Some("disable_nodejs_cluster_module"), false),
    flag("enable_nodejs_console_module", None, Some("disable_nodejs_console_module"), false),
    flag("enable_nodejs_dgram_module", None, Some("disable_nodejs_dgram_module"), false),
    flag("enable_nodejs_domain_module", None, Some("disable_nodejs_domain_module"), false),
    flag("enable_nodejs_fs_module", None, Some("disable_nodejs_fs_module"), false),
    flag("enable_nodejs_global_timers", None, Some("no_nodejs_global_timers"), false),
    flag("enable_nodejs_http2_module", None, Some("disable_nodejs_http2_module"), false),
    flag("enable_nodejs_http_modules", None, Some("disable_nodejs_http_modules"), false),
    flag(
        "enable_nodejs_http_server_modules",
        None,
        Some("disable_nodejs_http_server_modules"),
        false,
    ),
    flag("enable_nodejs_inspector_local_dev", None, None, true),
    flag("enable_nodejs_inspector_module", None, Some("disable_nodejs_inspector_module"), false),
    flag("enable_nodejs_os_module", None, Some("disable_nodejs_os_module"), false),
    flag("enable_nodejs_perf_hooks_module", None, Some("disable_nodejs_perf_hooks_module"), false),
    flag("enable_nodejs_process_v2", None, Some("disable_nodejs_process_v2"), false),
    flag("enable_nodejs_punycode_module", None, Some("disable_nodejs_punycode_module"), false),
    flag("enable_nodejs_readline_module", None, Some("disable_nodejs_readline_module"), false),
    flag("enable_nodejs_repl_module", None, Some("disable_nodejs_repl_module"), false),
    flag("enable_nodejs_sqlite_module", None, Some("disable_nodejs_sqlite_module"), false),
    flag(
        "enable_nodejs_stream_wrap_module",
        None,
        Some("disable_nodejs_stream_wrap_module"),
        false,
    ),
    flag(
        "enable_nodejs_trace_events_module",
        None,
        Some("disable_nodejs_trace_events_module"),
        false,
    ),
    flag("enable_nodejs_tty_module", None, Some("disable_nodejs_tty_module"), false),
    flag("enable_nodejs_v8_module", None, Some("disable_nodejs_v8_module"), false),
    flag("enable_nodejs_vm_module", None, Some("disable_nodejs_vm_module"), false),
    flag("enable_nodejs_wasi_module", None, Some("disable_nodejs_wasi_module"), false),
    flag(
        "enable_nodejs_worker_threads_module",
        None,
        Some("disable_nodejs_worker_threads_module"),
        false,
    ),
    flag(
        "enable_python_external_sdk",
        Some("2026-04-21"),
        Some("disable_python_external_sdk"),
        false,
    ),
    flag("enable_request_signal", None, Some("disable_request_signal"), false),
    flag(
        "enable_streams_nodejs_v24_compat",
        None,
        Some("disable_streams_nodejs_v24_compat"),
        false,
    ),
    flag(
        "enable_top_level_await_in_require",
        None,
        Some("disable_top_level_await_in_require"),
        false,
    ),
    flag(
        "enable_validate_workflow_entrypoint",
        Some("2025-09-20"),
        Some("disable_validate_workflow_entrypoint"),
        false,
    ),
    flag("enable_version_api", None, None, true),
    flag("enable_weak_ref", Some("2025-05-05"), Some("disable_weak_ref"), false),
    flag("enable_web_file_system", None, None, true),
    flag(
        "encoder_stream_spec_compliant_backpressure",
        Some("2026-03-24"),
        Some("no_encoder_stream_spec_compliant_backpressure"),
        false,
    ),
    flag(
        "enhanced_error_serialization",
        Some("2026-04-21"),
        Some("legacy_error_serialization"),
        false,
    ),
    flag("env_module_nullable_support", None, Some("no_env_module_nullable_support"), false),
    flag("experimental", None, None, true),
    flag("export_commonjs_default", Some("2022-10-31"), Some("export_commonjs_namespace"), false),
    flag("export_commonjs_namespace", None, Some("export_commonjs_default"), false),
    flag("expose_draining_reader", None, None, true),
    flag(
        "expose_global_message_channel",
        Some("2025-08-15"),
        Some("no_expose_global_message_channel"),
        false,
    ),
    flag(
        "fetch_iterable_type_support",
        Some("2026-02-19"),
        Some("no_fetch_iterable_type_support"),
        false,
    ),
    flag(
        "fetch_iterable_type_support_override_adjustment",
        None,
        Some("no_fetch_iterable_type_support_override_adjustment"),
        false,
    ),
    flag("fetch_legacy_url", None, Some("fetch_standard_url"), false),
    flag(
        "fetch_refuses_unknown_protocols",
        Some("2021-11-10"),
        Some("fetch_treats_unknown_protocols_as_http"),
        false,
    ),
    flag("fetch_standard_url", Some("2024-06-03"), Some("fetch_legacy_url"), false),
    flag(
        "fetch_treats_unknown_protocols_as_http",
        None,
        Some("fetch_refuses_unknown_protocols"),
        false,
    ),
    flag("fetcher_has_get_put_delete", None, Some("fetcher_no_get_put_delete"), false),
    flag(
        "fetcher_no_get_put_delete",
        Some("2024-03-26"),
        Some("fetcher_has_get_put_delete"),
        false,
    ),
    flag(
        "fixup-transform-stream-backpressure",
        Some("2024-12-16"),
        Some("original-transform-stream-backpressure"),
        false,
    ),
    flag(
        "formdata_parser_converts_files_to_strings",
        None,
        Some("formdata_parser_supports_files"),
        false,
    ),
    flag(
        "formdata_parser_supports_files",
        Some("2021-11-03"),
        Some("formdata_parser_converts_files_to_strings"),
        false,
    ),
    flag("global_fetch_private_origin", None, Some("global_fetch_strictly_public"), false),
    flag("global_fetch_strictly_public", None, Some("global_fetch_private_origin"), false),
    flag("global_importscripts", None, Some("no_global_importscripts"), false),
    flag("global_navigator", Some("2022-03-21"), Some("no_global_navigator"), false),
    flag(
        "handle_cross_request_promise_resolution",
        Some("2024-10-14"),
        Some("no_handle_cross_request_promise_resolution"),
        false,
    ),
    flag("html_rewriter_treats_esi_include_as_void_tag", None, None, false),
    flag(
        "http_headers_getsetcookie",
        Some("2023-03-01"),
        Some("no_http_headers_getsetcookie"),
        false,
    ),
    flag("ignore_custom_ports", None, Some("allow_custom_ports"), false),
    flag(
        "ignore_unrecognized_import_assertion",
        None,
        Some("throw_on_unrecognized_import_assertion"),
        false,
    ),
    flag("immutable_api_prototypes", None, Some("mutable_api_prototypes"), false),
    flag("increase_websocket_message_size", None, None, true),
    flag(
        "internal_stream_byob_return_undefined",
        None,
        Some("internal_stream_byob_return_view"),
        false,
    ),
    flag(
        "internal_stream_byob_return_view",
        Some("2024-05-13"),
        Some("internal_stream_byob_return_undefined"),
        false,
    ),
    flag(
        "internal_writable_stream_abort_clears_queue",
        Some("2024-09-02"),
        Some("internal_writable_stream_abort_does_not_clear_queue"),
        false,
    ),
    flag(
        "internal_writable_stream_abort_does_not_clear_queue",
        None,
        Some("internal_writable_stream_abort_clears_queue"),
        false,
    ),
    flag("js_rpc", None, None, true),
    flag("kv_direct_binding", None, None, true),
    flag("legacy_error_serialization", None, Some("enhanced_error_serialization"), false),
    flag("legacy_module_registry", None, Some("new_module_registry"), false),
    flag("memory_cache_delete", None, None, true),
    flag("minimal_subrequests", Some("2022-04-05"), Some("no_minimal_subrequests"), false),
    flag("mutable_api_prototypes", None, Some("immutable_api_prototypes"), false),
    flag("new_module_registry", None, Some("legacy_module_registry"), false),
    flag("no_brotli_content_encoding", None, Some("brotli_content_encoding"), false),
    flag("no_cache_api_compat_flags", None, Some("cache_api_compat_flags"), false),
    flag(
        "no_cache_api_request_cf_overrides_cache_rules",
        None,
        Some("cache_api_request_cf_overrides_cache_rules"),
        false,
    ),
    flag(
        "no_cf_botmanagement_default",
        Some("2023-08-01"),
        Some("cf_botmanagement_default"),
        false,
    ),
    flag("no_containers_pid_namespace", None, Some("containers_pid_namespace"), false),
    flag("no_cots_on_external_fetch", Some("2022-03-08"), Some("cots_on_external_fetch"), false),
    flag(
        "no_crypto_preserve_public_exponent",
        None,
        Some("crypto_preserve_public_exponent"),
        false,
    ),
    flag(
        "no_diagnostics_channel_has_subscribers_getter",
        None,
        Some("diagnostics_channel_has_subscribers_getter"),
        false,
    ),
    flag(
        "no_encoder_stream_spec_compliant_backpressure",
        None,
        Some("encoder_stream_spec_compliant_backpressure"),
        false,
    ),
    flag("no_env_module_nullable_support", None, Some("env_module_nullable_support"), false),
    flag("no_expose_global_message_channel", None, Some("expose_global_message_channel"), false),
    flag("no_fetch_iterable_type_support", None, Some("fetch_iterable_type_support"), false),
    flag(
        "no_fetch_iterable_type_support_override_adjustment",
        None,
        Some("fetch_iterable_type_support_override_adjustment"),
        false,
    ),
    flag("no_global_importscripts", Some("2024-03-04"), Some("global_importscripts"), false),
    flag("no_global_navigator", None, Some("global_navigator"), false),
    flag(
        "no_handle_cross_request_promise_resolution",
        None,
        Some("handle_cross_request_promise_resolution"),
        false,
    ),
    flag("no_http_headers_getsetcookie", None, Some("http_headers_getsetcookie"), false),
    flag("no_minimal_subrequests", None, Some("minimal_subrequests"), false),
    flag("no_nodejs_als", None, Some("nodejs_als"), false),
    flag("no_nodejs_compat", None, Some("nodejs_compat"), false),
    flag("no_nodejs_compat_v2", None, Some("nodejs_compat_v2"), false),
    flag("no_nodejs_global_timers", None, Some("enable_nodejs_global_timers"), false),
    flag("no_nodejs_zlib", None, Some("nodejs_zlib"), false),
    flag("no_precise_timers", None, Some("precise_timers"), false),
    flag("no_python_workers_20250116", None, Some("python_workers_20250116"), false),
    flag("no_python_workers_20260610", None, Some("python_workers_20260610"), false),
    flag("no_python_workers_20260817", None, Some("python_workers_20260817"), false),
    flag(
        "no_python_workflows_implicit_dependencies",
        None,
        Some("python_workflows_implicit_dependencies"),
        false,
    ),
    flag("no_queue_expose_error_codes", None, Some("queue_expose_error_codes"), false),
    flag("no_queues_json_messages", None, Some("queues_json_messages"), false),
    flag(
        "no_request_cf_overrides_cache_rules",
        None,
        Some("request_cf_overrides_cache_rules"),
        false,
    ),
    flag("no_request_signal_passthrough", None, Some("request_signal_passthrough"), false),
    flag("no_resizable_array_buffer_in_blob", None, Some("resizable_array_buffer_in_blob"), false),
    flag("no_rpc", None, Some("rpc"), false),
    flag("no_set_event_target_this", None, Some("set_event_target_this"), false),
    flag(
        "no_spec_compliant_property_attributes",
        None,
        Some("spec_compliant_property_attributes"),
        false,
    ),
    flag("no_strict_compression_checks", None, Some("strict_compression_checks"), false),
    flag("no_strict_crypto_checks", None, Some("strict_crypto_checks"), false),
    flag(
        "no_throw_on_not_implemented_tls_options",
        None,
        Some("throw_on_not_implemented_tls_options"),
        false,
    ),
    flag(
        "no_unhandled_rejection_after_microtask_checkpoint",
        None,
        Some("unhandled_rejection_after_microtask_checkpoint"),
        false,
    ),
    flag("no_unwrap_custom_thenables", None, Some("unwrap_custom_thenables"), false),
    flag("no_upper_case_all_http_methods", None, Some("upper_case_all_http_methods"), false),
    flag(
        "no_urlsearchparams_delete_has_value_arg",
        None,
        Some("urlsearchparams_delete_has_value_arg"),
        false,
    ),
    flag("no_web_socket_compression", None, Some("web_socket_compression"), false),
    flag(
        "no_websocket_close_reason_byte_limit",
        None,
        Some("websocket_close_reason_byte_limit"),
        false,
    ),
    flag("no_websocket_standard_binary_type", None, Some("websocket_standard_binary_type"), false),
    flag(
        "no_writable_stream_spec_compliant_writer",
        None,
        Some("writable_stream_spec_compliant_writer"),
        false,
    ),
    flag("nodejs_als", None, Some("no_nodejs_als"), false),
    flag("nodejs_compat", Some("2026-08-04"), Some("no_nodejs_compat"), false),
    flag(
        "nodejs_compat_do_not_populate_process_env",
        None,
        Some("nodejs_compat_populate_process_env"),
        false,
    ),
    flag(
        "nodejs_compat_populate_process_env",
        None,
        Some("nodejs_compat_do_not_populate_process_env"),
        false,
    ),
    flag("nodejs_compat_v2", Some("2026-08-04"), Some("no_nodejs_compat_v2"), false),
    flag("nodejs_zlib", None, Some("no_nodejs_zlib"), false),
    flag("non_pedantic_wpt", None, Some("pedantic_wpt"), false),
    flag("nonclass_entrypoint_reuses_ctx_across_invocations", None, None, false),
    flag(
        "original-transform-stream-backpressure",
        None,
        Some("fixup-transform-stream-backpressure"),
        false,
    ),
    flag("pedantic_wpt", None, Some("non_pedantic_wpt"), false),
    flag("precise_timers", None, Some("no_precise_timers"), true),
    flag("python_check_rng_state", None, Some("disable_python_check_rng_state"), false),
    flag("python_dedicated_snapshot", None, Some("disable_python_dedicated_snapshot"), false),
    flag("python_external_packages", None, None, false),
    flag(
        "python_no_global_handlers",
        Some("2025-08-14"),
        Some("disable_python_no_global_handlers"),
        false,
    ),
    flag(
        "python_process_pth_files",
        Some("2026-05-26"),
        Some("disable_python_process_pth_files"),
        false,
    ),
    flag(
        "python_request_headers_preserve_commas",
        Some("2026-02-17"),
        Some("disable_python_request_headers_preserve_commas"),
        false,
    ),
    flag("python_workers", None, None, false),
    flag("python_workers_20250116", None, Some("no_python_workers_20250116"), false),
    flag("python_workers_20260610", None, Some("no_python_workers_20260610"), false),
    flag("python_workers_20260817", None, Some("no_python_workers_20260817"), true),
    flag("python_workers_development", None, None, true),
    flag("python_workers_durable_objects", None, None, true),
    flag("python_workers_force_new_vendor_path", Some("2025-08-11"), None, false),
    flag("python_workflows", None, Some("disable_python_workflows"), false),
    flag(
        "python_workflows_implicit_dependencies",
        None,
        Some("no_python_workflows_implicit_dependencies"),
        false,
    ),
    flag(
        "queue_consumer_no_wait_for_wait_until",
        None,
        Some("queue_consumer_wait_for_wait_until"),
        false,
    ),
    flag(
        "queue_consumer_wait_for_wait_until",
        None,
        Some("queue_consumer_no_wait_for_wait_until"),
        false,
    ),
    flag(
        "queue_expose_error_codes",
        Some("2026-03-12"),
        Some("no_queue_expose_error_codes"),
        false,
    ),
    flag("queues_json_messages", Some("2024-03-18"), Some("no_queues_json_messages"), false),
    flag("r2_internal_beta_bindings", None, Some("r2_public_beta_bindings"), false),
    flag("r2_list_honor_include", Some("2022-08-04"), None, false),
    flag("r2_public_beta_bindings", Some("2000-01-01"), Some("r2_internal_beta_bindings"), false),
    flag("remove_nodejs_compat_eol", None, Some("add_nodejs_compat_eol"), false),
    flag("remove_nodejs_compat_eol_v22", None, Some("add_nodejs_compat_eol_v22"), false),
    flag("remove_nodejs_compat_eol_v23", None, Some("add_nodejs_compat_eol_v23"), false),
    flag("remove_nodejs_compat_eol_v24", None, Some("add_nodejs_compat_eol_v24"), false),
    flag("replica_routing", None, None, true),
    flag(
        "request_cf_overrides_cache_rules",
        Some("2025-04-02"),
        Some("no_request_cf_overrides_cache_rules"),
        false,
    ),
    flag("request_signal_passthrough", None, Some("no_request_signal_passthrough"), false),
    flag(
        "require_returns_default_export",
        Some("2026-01-22"),
        Some("require_returns_namespace"),
        false,
    ),
    flag("require_returns_namespace", None, Some("require_returns_default_export"), false),
    flag("resizable_array_buffer_in_blob", None, Some("no_resizable_array_buffer_in_blob"), false),
    flag("response_redirect_url_original", None, Some("response_redirect_url_standard"), false),
    flag(
        "response_redirect_url_standard",
        Some("2023-03-14"),
        Some("response_redirect_url_original"),
        false,
    ),
    flag(
        "retain_authorization_on_cross_origin_redirect",
        None,
        Some("strip_authorization_on_cross_origin_redirect"),
        false,
    ),
    flag("rpc", Some("2024-04-03"), Some("no_rpc"), false),
    flag("rpc_params_dup_stubs", Some("2026-01-20"), Some("rpc_params_transfer_stubs"), false),
    flag("rpc_params_transfer_stubs", None, Some("rpc_params_dup_stubs"), false),
    flag("rtti_api", None, None, true),
    flag("service_binding_extra_handlers", None, None, true),
    flag("set_event_target_this", Some("2025-08-01"), Some("no_set_event_target_this"), false),
    flag(
        "set_forwardable_email_full_headers",
        Some("2025-08-01"),
        Some("set_forwardable_email_single_headers"),
        false,
    ),
    flag(
        "set_forwardable_email_single_headers",
        None,
        Some("set_forwardable_email_full_headers"),
        false,
    ),
    flag("set_tostring_tag", Some("2024-09-26"), Some("do_not_set_tostring_tag"), false),
    flag(
        "spec_compliant_property_attributes",
        None,
        Some("no_spec_compliant_property_attributes"),
        true,
    ),
    flag("streaming_tail_worker", None, None, true),
    flag(
        "streams_auto_allocate_chunk_size_default",
        None,
        Some("streams_no_default_auto_allocate_chunk_size"),
        false,
    ),
    flag(
        "streams_byob_reader_detaches_buffer",
        Some("2021-11-10"),
        Some("streams_byob_reader_does_not_detach_buffer"),
        false,
    ),
    flag(
        "streams_byob_reader_does_not_detach_buffer",
        None,
        Some("streams_byob_reader_detaches_buffer"),
        false,
    ),
    flag("streams_disable_constructors", None, Some("streams_enable_constructors"), false),
    flag(
        "streams_enable_constructors",
        Some("2022-11-30"),
        Some("streams_disable_constructors"),
        false,
    ),
    flag(
        "streams_no_default_auto_allocate_chunk_size",
        None,
        Some("streams_auto_allocate_chunk_size_default"),
        true,
    ),
    flag(
        "strict_compression_checks",
        Some("2023-08-01"),
        Some("no_strict_compression_checks"),
        false,
    ),
    flag("strict_crypto_checks", Some("2023-08-01"), Some("no_strict_crypto_checks"), false),
    flag(
        "strip_authorization_on_cross_origin_redirect",
        Some("2025-09-01"),
        Some("retain_authorization_on_cross_origin_redirect"),
        false,
    ),
    flag(
        "strip_bom_in_read_all_text",
        Some("2026-01-13"),
        Some("do_not_strip_bom_in_read_all_text"),
        false,
    ),
    flag("substitute_null_on_type_error", None, Some("dont_substitute_null_on_type_error"), false),
    flag("tail_worker_user_spans", None, None, true),
    flag("tcp_sockets_support", None, None, false),
    flag(
        "text_decoder_cjk_decoder",
        Some("2026-03-03"),
        Some("disable_text_decoder_cjk_decoder"),
        false,
    ),
    flag(
        "text_decoder_replace_surrogates",
        Some("2026-02-24"),
        Some("disable_text_decoder_replace_surrogates"),
        false,
    ),
    flag(
        "throw_on_not_implemented_tls_options",
        Some("2026-06-16"),
        Some("no_throw_on_not_implemented_tls_options"),
        false,
    ),
    flag(
        "throw_on_unrecognized_import_assertion",
        Some("2025-06-16"),
        Some("ignore_unrecognized_import_assertion"),
        false,
    ),
    flag(
        "transformstream_disable_standard_constructor",
        None,
        Some("transformstream_enable_standard_constructor"),
        false,
    ),
    flag(
        "transformstream_enable_standard_constructor",
        Some("2022-11-30"),
        Some("transformstream_disable_standard_constructor"),
        false,
    ),
    flag("typescript_implemented_streams", None, None, true),
    flag("typescript_strip_types", None, None, true),
    flag(
        "unhandled_rejection_after_microtask_checkpoint",
        Some("2026-03-03"),
        Some("no_unhandled_rejection_after_microtask_checkpoint"),
        false,
    ),
    flag("unique_ctx_per_invocation", Some("2025-03-10"), None, false),
    flag("unsafe_module", None, None, true),
    flag("unsupported_process_actual_platform", None, None, true),
    flag("unwrap_custom_thenables", Some("2024-04-01"), Some("no_unwrap_custom_thenables"), false),
    flag(
        "upper_case_all_http_methods",
        Some("2024-10-14"),
        Some("no_upper_case_all_http_methods"),
        false,
    ),
    flag("url_original", None, Some("url_standard"), false),
    flag("url_standard", Some("2022-10-31"), Some("url_original"), false),
    flag("urlpattern_original", None, Some("urlpattern_standard"), false),
    flag("urlpattern_standard", Some("2025-05-01"), Some("urlpattern_original"), false),
    flag(
        "urlsearchparams_delete_has_value_arg",
        Some("2023-07-01"),
        Some("no_urlsearchparams_delete_has_value_arg"),
        false,
    ),
    flag(
        "vectorize_query_metadata_optional",
        Some("2023-11-08"),
        Some("vectorize_query_original"),
        false,
    ),
    flag("vectorize_query_original", None, Some("vectorize_query_metadata_optional"), false),
    flag("wasm_memory_discard", None, None, true),
    flag(
        "web_socket_auto_reply_to_close",
        Some("2026-04-07"),
        Some("web_socket_manual_reply_to_close"),
        false,
    ),
    flag("web_socket_compression", Some("2023-08-15"), Some("no_web_socket_compression"), false),
    flag("web_socket_manual_reply_to_close", None, Some("web_socket_auto_reply_to_close"), false),
    flag("webgpu", None, None, true),
    flag(
        "websocket_close_reason_byte_limit",
        Some("2026-03-03"),
        Some("no_websocket_close_reason_byte_limit"),
        false,
    ),
    flag(
        "websocket_standard_binary_type",
        Some("2026-03-17"),
        Some("no_websocket_standard_binary_type"),
        false,
    ),
    flag(
        "workers_api_getters_setters_on_instance",
        None,
        Some("workers_api_getters_setters_on_prototype"),
        false,
    ),
    flag(
        "workers_api_getters_setters_on_prototype",
        Some("2022-01-31"),
        Some("workers_api_getters_setters_on_instance"),
        false,
    ),
    flag("workflows_bindings_rpc", None, None, true),
    flag(
        "workflows_disable_fast_engine_creation",
        None,
        Some("workflows_enable_fast_engine_creation"),
        false,
    ),
    flag(
        "workflows_enable_fast_engine_creation",
        Some("2026-08-11"),
        Some("workflows_disable_fast_engine_creation"),
        false,
    ),
    flag(
        "workflows_preserve_non_retryable_error_message",
        Some("2026-05-14"),
        Some("workflows_replace_non_retryable_error_message"),
        false,
    ),
    flag(
        "workflows_replace_non_retryable_error_message",
        None,
        Some("workflows_preserve_non_retryable_error_message"),
        false,
    ),
    flag("workflows_step_rollback", None, None, true),
    flag(
        "writable_stream_spec_compliant_writer",
        Some("2026-03-24"),
        Some("no_writable_stream_spec_compliant_writer"),
        false,
    ),
];

/// The disable flags, sorted, so a check can tell which side of a pair a name is on.
pub const DISABLE_FLAGS: &[&str] = &[
    "add_nodejs_compat_eol",
    "add_nodejs_compat_eol_v22",
    "add_nodejs_compat_eol_v23",
    "add_nodejs_compat_eol_v24",
    "allow_importable_env",
    "assets_navigation_has_no_effect",
    "blob_legacy_mime_type",
    "cache_no_cache_disabled",
    "cache_option_disabled",
    "cache_reload_disabled",
    "cf_botmanagement_default",
    "cots_on_external_fetch",
    "delete_all_preserves_alarm",
    "disable_ctx_exports",
    "disable_email_sending_queuing",
    "disable_fast_jsg_struct",
    "disable_global_performance_classes",
    "disable_navigator_language",
    "disable_nodejs_child_process_module",
    "disable_nodejs_cluster_module",
    "disable_nodejs_console_module",
    "disable_nodejs_dgram_module",
    "disable_nodejs_domain_module",
    "disable_nodejs_fs_module",
    "disable_nodejs_http2_module",
    "disable_nodejs_http_modules",
    "disable_nodejs_http_server_modules",
    "disable_nodejs_inspector_module",
    "disable_nodejs_os_module",
    "disable_nodejs_perf_hooks_module",
    "disable_nodejs_process_v2",
    "disable_nodejs_punycode_module",
    "disable_nodejs_readline_module",
    "disable_nodejs_repl_module",
    "disable_nodejs_sqlite_module",
    "disable_nodejs_stream_wrap_module",
    "disable_nodejs_trace_events_module",
    "disable_nodejs_tty_module",
    "disable_nodejs_v8_module",
    "disable_nodejs_vm_module",
    "disable_nodejs_wasi_module",
    "disable_nodejs_worker_threads_module",
    "disable_python_check_rng_state",
    "disable_python_dedicated_snapshot",
    "disable_python_external_sdk",
    "disable_python_no_global_handlers",
    "disable_python_process_pth_files",
    "disable_python_request_headers_preserve_commas",
    "disable_python_workflows",
    "disable_request_signal",
    "disable_streams_nodejs_v24_compat",
    "disable_text_decoder_cjk_decoder",
    "disable_text_decoder_replace_surrogates",
    "disable_validate_workflow_entrypoint",
    "disable_weak_ref",
    "disallow_eval_during_startup",
    "do_not_bind_asynclocalstorage_snapshot_to-request",
    "do_not_capture_async_api_throws",
    "do_not_set_tostring_tag",
    "do_not_strip_bom_in_read_all_text",
    "durable_object_fetch_allows_relative_url",
    "dynamic_dispatch_treat_exceptions_as_500",
    "enable_top_level_await_in_require",
    "export_commonjs_namespace",
    "fetch_legacy_url",
    "fetch_treats_unknown_protocols_as_http",
    "fetcher_has_get_put_delete",
    "formdata_parser_converts_files_to_strings",
    "global_fetch_private_origin",
    "global_importscripts",
    "ignore_custom_ports",
    "ignore_unrecognized_import_assertion",
    "internal_stream_byob_return_undefined",
    "internal_writable_stream_abort_does_not_clear_queue",
    "legacy_error_serialization",
    "legacy_module_registry",
    "mutable_api_prototypes",
    "no_brotli_content_encoding",
    "no_cache_api_compat_flags",
    "no_cache_api_request_cf_overrides_cache_rules",
    "no_containers_pid_namespace",
    "no_crypto_preserve_public_exponent",
    "no_diagnostics_channel_has_subscribers_getter",
    "no_encoder_stream_spec_compliant_backpressure",
    "no_env_module_nullable_support",
    "no_expose_global_message_channel",
    "no_fetch_iterable_type_support",
    "no_fetch_iterable_type_support_override_adjustment",
    "no_global_navigator",
    "no_handle_cross_request_promise_resolution",
    "no_http_headers_getsetcookie",
    "no_minimal_subrequests",
    "no_nodejs_als",
    "no_nodejs_compat",
    "no_nodejs_compat_v2",
    "no_nodejs_global_timers",
    "no_nodejs_zlib",
    "no_precise_timers",
    "no_python_workers_20250116",
    "no_python_workers_20260610",
    "no_python_workers_20260817",
    "no_python_workflows_implicit_dependencies",
    "no_queue_expose_error_codes",
    "no_queues_json_messages",
    "no_request_cf_overrides_cache_rules",
    "no_request_signal_passthrough",
    "no_rpc",
    "no_set_event_target_this",
    "no_spec_compliant_property_attributes",
    "no_strict_compression_checks",
    "no_strict_crypto_checks",
    "no_throw_on_not_implemented_tls_options",
    "no_unhandled_rejection_after_microtask_checkpoint",
    "no_unwrap_custom_thenables",
    "no_upper_case_all_http_methods",
    "no_urlsearchparams_delete_has_value_arg",
    "no_web_socket_compression",
    "no_websocket_close_reason_byte_limit",
    "no_websocket_standard_binary_type",
    "no_writable_stream_spec_compliant_writer",
    "nodejs_compat_do_not_populate_process_env",
    "non_pedantic_wpt",
    "original-transform-stream-backpressure",
    "queue_consumer_wait_for_wait_until",
    "r2_internal_beta_bindings",
    "require_returns_namespace",
    "resizable_array_buffer_in_blob",
    "response_redirect_url_original",
    "retain_authorization_on_cross_origin_redirect",
    "rpc_params_transfer_stubs",
    "set_forwardable_email_single_headers",
    "streams_auto_allocate_chunk_size_default",
    "streams_byob_reader_does_not_detach_buffer",
    "streams_disable_constructors",
    "substitute_null_on_type_error",
    "transformstream_disable_standard_constructor",
    "url_original",
    "urlpattern_original",
    "vectorize_query_original",
    "web_socket_manual_reply_to_close",
    "workers_api_getters_setters_on_instance",
    "workflows_disable_fast_engine_creation",
    "workflows_replace_non_retryable_error_message",
];

/// Features turned on by another flag from a date, sorted by `flag`.
///
/// The runtime applies these after reading dates and flags: the implied feature goes on when any
/// implying flag is on and the compatibility date is on or after `date`, unless the implied
/// feature's own disable flag is named.
pub const IMPLIED_BY_AFTER_DATE: &[ImpliedFlag] = &[
    ImpliedFlag {
        flag: "cache_no_cache_enabled",
        implied_by: &["cache_option_enabled"],
        date: "2025-08-07",
    },
    ImpliedFlag {
        flag: "enable_global_performance_classes",
        implied_by: &["nodejs_compat"],
        date: "2026-03-17",
    },
    ImpliedFlag {
        flag: "enable_nodejs_child_process_module",
        implied_by: &["nodejs_compat"],
        date: "2026-03-17",
    },
    ImpliedFlag {
        flag: "enable_nodejs_cluster_module",
        implied_by: &["nodejs_compat"],
        date: "2025-12-04",
    },
    ImpliedFlag {
        flag: "enable_nodejs_console_module",
        implied_by: &["nodejs_compat"],
        date: "2025-09-21",
    },
    ImpliedFlag {
        flag: "enable_nodejs_dgram_module",
        implied_by: &["nodejs_compat"],
        date: "2026-01-29",
    },
    ImpliedFlag {
        flag: "enable_nodejs_domain_module",
        implied_by: &["nodejs_compat"],
        date: "2025-12-04",
    },
    ImpliedFlag {
        flag: "enable_nodejs_fs_module",
        implied_by: &["nodejs_compat"],
        date: "2025-09-15",
    },
    ImpliedFlag {
        flag: "enable_nodejs_global_timers",
        implied_by: &["nodejs_compat"],
        date: "2026-02-10",
    },
    ImpliedFlag {
        flag: "enable_nodejs_http2_module",
        implied_by: &["nodejs_compat"],
        date: "2025-09-01",
    },
    ImpliedFlag {
        flag: "enable_nodejs_http_modules",
        implied_by: &["nodejs_compat"],
        date: "2025-08-15",
    },
    ImpliedFlag {
        flag: "enable_nodejs_http_server_modules",
        implied_by: &["enable_nodejs_http_modules"],
        date: "2025-09-01",
    },
    ImpliedFlag {
        flag: "enable_nodejs_inspector_module",
        implied_by: &["nodejs_compat"],
        date: "2026-01-29",
    },
    ImpliedFlag {
        flag: "enable_nodejs_os_module",
        implied_by: &["nodejs_compat"],
        date: "2025-09-15",
    },
    ImpliedFlag {
        flag: "enable_nodejs_perf_hooks_module",
        implied_by: &["nodejs_compat"],
        date: "2026-03-17",
    },
    ImpliedFlag {
        flag: "enable_nodejs_process_v2",
        implied_by: &["nodejs_compat"],
        date: "2025-09-15",
    },
    ImpliedFlag {
        flag: "enable_nodejs_punycode_module",
        implied_by: &["nodejs_compat"],
        date: "2025-12-04",
    },
    ImpliedFlag {
        flag: "enable_nodejs_readline_module",
        implied_by: &["nodejs_compat"],
        date: "2026-03-17",
    },
    ImpliedFlag {
        flag: "enable_nodejs_repl_module",
        implied_by: &["nodejs_compat"],
        date: "2026-03-17",
    },
    ImpliedFlag {
        flag: "enable_nodejs_sqlite_module",
        implied_by: &["nodejs_compat"],
        date: "2026-01-29",
    },
    ImpliedFlag {
        flag: "enable_nodejs_stream_wrap_module",
        implied_by: &["nodejs_compat"],
        date: "2026-01-29",
    },
    ImpliedFlag {
        flag: "enable_nodejs_trace_events_module",
        implied_by: &["nodejs_compat"],
        date: "2025-12-04",
    },
    ImpliedFlag {
        flag: "enable_nodejs_tty_module",
        implied_by: &["nodejs_compat"],
        date: "2026-03-17",
    },
    ImpliedFlag {
        flag: "enable_nodejs_v8_module",
        implied_by: &["nodejs_compat"],
        date: "2026-03-17",
    },
    ImpliedFlag {
        flag: "enable_nodejs_vm_module",
        implied_by: &["nodejs_compat"],
        date: "2025-10-01",
    },
    ImpliedFlag {
        flag: "enable_nodejs_wasi_module",
        implied_by: &["nodejs_compat"],
        date: "2025-12-04",
    },
    ImpliedFlag {
        flag: "enable_nodejs_worker_threads_module",
        implied_by: &["nodejs_compat"],
        date: "2026-03-17",
    },
    ImpliedFlag {
        flag: "fetch_iterable_type_support_override_adjustment",
        implied_by: &["fetch_iterable_type_support"],
        date: "2026-01-15",
    },
    ImpliedFlag {
        flag: "nodejs_compat_populate_process_env",
        implied_by: &["nodejs_compat"],
        date: "2025-04-01",
    },
    ImpliedFlag { flag: "nodejs_compat_v2", implied_by: &["nodejs_compat"], date: "2024-09-23" },
    ImpliedFlag {
        flag: "nodejs_zlib",
        implied_by: &["nodejs_compat", "nodejs_compat_v2"],
        date: "2024-09-23",
    },
    ImpliedFlag {
        flag: "python_check_rng_state",
        implied_by: &["python_workers"],
        date: "2025-12-16",
    },
    ImpliedFlag {
        flag: "python_dedicated_snapshot",
        implied_by: &["python_workers_20250116"],
        date: "2025-10-16",
    },
    ImpliedFlag {
        flag: "python_workers",
        implied_by: &["python_workers_development"],
        date: "2000-01-01",
    },
    ImpliedFlag {
        flag: "python_workers_20250116",
        implied_by: &["python_workers"],
        date: "2025-09-29",
    },
    ImpliedFlag { flag: "python_workflows", implied_by: &["python_workers"], date: "2025-09-20" },
    ImpliedFlag {
        flag: "python_workflows_implicit_dependencies",
        implied_by: &["python_workers"],
        date: "2026-02-25",
    },
    ImpliedFlag {
        flag: "remove_nodejs_compat_eol",
        implied_by: &["nodejs_compat"],
        date: "2025-09-01",
    },
    ImpliedFlag {
        flag: "remove_nodejs_compat_eol_v22",
        implied_by: &["remove_nodejs_compat_eol"],
        date: "2027-04-30",
    },
    ImpliedFlag {
        flag: "remove_nodejs_compat_eol_v23",
        implied_by: &["remove_nodejs_compat_eol_v24"],
        date: "2025-09-01",
    },
    ImpliedFlag {
        flag: "remove_nodejs_compat_eol_v24",
        implied_by: &["remove_nodejs_compat_eol"],
        date: "2028-04-30",
    },
    ImpliedFlag {
        flag: "strip_bom_in_read_all_text",
        implied_by: &["pedantic_wpt"],
        date: "2026-01-13",
    },
    ImpliedFlag {
        flag: "text_decoder_replace_surrogates",
        implied_by: &["pedantic_wpt"],
        date: "2026-02-24",
    },
];

/// Looks a flag up by its exact name (flag names are case-sensitive).
#[must_use]
pub fn find(name: &str) -> Option<&'static CompatibilityFlag> {
    COMPATIBILITY_FLAGS
        .binary_search_by(|flag| flag.name.cmp(name))
        .ok()
        .map(|index| &COMPATIBILITY_FLAGS[index])
}

/// Whether `name` is the disable side of a pair, such as `no_nodejs_compat`.
#[must_use]
pub fn is_disable_flag(name: &str) -> bool {
    DISABLE_FLAGS.binary_search(&name).is_ok()
}

/// Whether a known enable flag is already on for `compatibility_date` (`YYYY-MM-DD`) by date
/// alone. Before workerd 1.20260820.1 the runtime refused a Worker that named such a flag; later
/// releases only warn.
#[must_use]
pub fn enabled_by_date(flag: &CompatibilityFlag, compatibility_date: &str) -> bool {
    // `YYYY-MM-DD` strings of equal length order the same way as the dates they name.
    flag.enable_date.is_some_and(|date| compatibility_date >= date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for pair in COMPATIBILITY_FLAGS.windows(2) {
            assert!(pair[0].name < pair[1].name, "{} / {}", pair[0].name, pair[1].name);
        }
        for pair in DISABLE_FLAGS.windows(2) {
            assert!(pair[0] < pair[1], "{} / {}", pair[0], pair[1]);
        }
        for pair in IMPLIED_BY_AFTER_DATE.windows(2) {
            assert!(pair[0].flag < pair[1].flag, "{} / {}", pair[0].flag, pair[1].flag);
        }
    }

    #[test]
    fn opposites_point_back() {
        for flag in COMPATIBILITY_FLAGS {
            if let Some(opposite) = flag.opposite {
                let other = find(opposite).expect(opposite);
                assert_eq!(other.opposite, Some(flag.name), "{}", flag.name);
                assert_ne!(is_disable_flag(flag.name), is_disable_flag(opposite), "{}", flag.name);
            }
        }
    }

    #[test]
    fn disable_flags_carry_no_date_and_are_never_refused() {
        for name in DISABLE_FLAGS {
            let flag = find(name).expect(name);
            assert_eq!(flag.enable_date, None, "{name}");
            assert!(!flag.experimental, "{name}");
            assert!(flag.opposite.is_some(), "{name}");
        }
    }

    #[test]
    fn side_tables_name_known_flags() {
        for name in ADDED_AFTER_WRANGLER_4_86_0.iter().chain(EXPERIMENTAL_ONLY_IN_WRANGLER_4_86_0) {
            assert!(find(name).is_some(), "{name}");
        }
        for implied in IMPLIED_BY_AFTER_DATE {
            assert!(find(implied.flag).is_some(), "{}", implied.flag);
            for by in implied.implied_by {
                assert!(find(by).is_some(), "{by}");
            }
        }
    }

    #[test]
    fn dates_are_well_formed() {
        let dates = COMPATIBILITY_FLAGS
            .iter()
            .filter_map(|flag| flag.enable_date)
            .chain(IMPLIED_BY_AFTER_DATE.iter().map(|implied| implied.date));
        for date in dates {
            let bytes = date.as_bytes();
            assert_eq!(bytes.len(), 10, "{date}");
            assert!(bytes[4] == b'-' && bytes[7] == b'-', "{date}");
        }
    }

    #[test]
    fn node_flags() {
        let compat = find("nodejs_compat").unwrap();
        assert_eq!(compat.enable_date, Some(NODEJS_COMPAT_DEFAULT_FROM));
        assert_eq!(compat.opposite, Some("no_nodejs_compat"));
        let v2 = find(BARE_NODE_BUILTINS_FLAG).unwrap();
        assert_eq!(v2.enable_date, Some(NODEJS_COMPAT_DEFAULT_FROM));
        assert_eq!(v2.opposite, Some("no_nodejs_compat_v2"));
        assert!(is_disable_flag("no_nodejs_compat_v2"));
        let als = find("nodejs_als").unwrap();
        assert_eq!((als.enable_date, als.opposite), (None, Some("no_nodejs_als")));
        let implied = IMPLIED_BY_AFTER_DATE.iter().find(|i| i.flag == "nodejs_compat_v2").unwrap();
        assert_eq!(implied.implied_by, ["nodejs_compat"]);
        assert_eq!(implied.date, NODEJS_COMPAT_IMPLIES_V2_FROM);
    }

    #[test]
    fn lookups() {
        assert_eq!(COMPATIBILITY_FLAGS.len(), 329);
        assert!(find("nodejs_compat").is_some());
        assert!(find("NODEJS_COMPAT").is_none());
        assert!(find("nodejs-compat").is_none());
        assert!(find("").is_none());
        assert!(find("experimental").unwrap().experimental);
        // Retired features keep their names: the runtime still accepts them.
        assert!(find("durable_object_alarms").is_some());
        assert!(!is_disable_flag("nodejs_compat"));
    }

    #[test]
    fn date_checks() {
        let flag = find("formdata_parser_supports_files").unwrap();
        assert!(!enabled_by_date(flag, "2021-11-02"));
        assert!(enabled_by_date(flag, "2021-11-03"));
        assert!(enabled_by_date(find("r2_public_beta_bindings").unwrap(), "2000-01-01"));
        assert!(!enabled_by_date(find("nodejs_als").unwrap(), "2999-12-31"));
    }
}
