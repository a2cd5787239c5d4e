//! One pass over one module's syntax tree: where `env` flows and what is read from it.
//!
//! `env` is recognised by its role, never by its name: the second parameter of a handler of the
//! default export (`fetch`, `scheduled`, `queue`, `email`, `tail`, `trace`), `this.env` in
//! classes that extend `WorkerEntrypoint`, `DurableObject` or `WorkflowEntrypoint` (and the
//! second constructor parameter there), `.env` of a callback parameter (Hono's `c.env`, Pages'
//! `context.env`), a destructured `{ env }` parameter, `import { env } from "cloudflare:workers"`,
//! and any parameter a call site passes `env` to. A variable merely named `env` is not `env`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, ArrowFunctionExpression, BindingPattern, BlockStatement, CallExpression, CatchClause,
    Class, ComputedMemberExpression, Declaration, ExportAllDeclaration, ExportDeclaration,
    ExportDefaultDeclaration, ExportDefaultDeclarationKind, ExportFromDeclaration,
    ExportNamedDeclaration, Expression, ForInStatement, ForOfStatement, ForStatement,
    FormalParameters, Function, ImportDeclaration, ImportDeclarationSpecifier, ImportExpression,
    ImportOrExportKind, MethodDefinition, MethodDefinitionKind, ModuleExportName,
    ObjectPropertyKind, PropertyKey, StaticMemberExpression, VariableDeclaration,
    VariableDeclarationKind, VariableDeclarator,
};
use oxc_ast_visit::{Visit, walk};
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType};
use oxc_syntax::scope::ScopeFlags;

use super::{BindingUse, CodeSpan, FileIndex, Gap, MethodCall, NodeImport, Query};
use crate::project::SourceFile;
use crate::syntax::Span;

/// The handlers of a default-exported object whose second parameter is `env`.
const HANDLERS: &[&str] =
    &["fetch", "scheduled", "queue", "email", "tail", "trace", "test", "tailStream"];

/// Base classes whose instances carry `this.env`.
const ENV_CLASSES: &[&str] = &[
    "WorkerEntrypoint",
    "DurableObject",
    "WorkflowEntrypoint",
    "Agent",
    "AIChatAgent",
    "McpAgent",
];

/// Node.js built-in modules, for imports written without `node:`.
pub const NODE_BUILTINS: &[&str] = &[
    "assert",
    "async_hooks",
    "buffer",
    "child_process",
    "cluster",
    "console",
    "constants",
    "crypto",
    "dgram",
    "diagnostics_channel",
    "dns",
    "domain",
    "events",
    "fs",
    "http",
    "http2",
    "https",
    "inspector",
    "module",
    "net",
    "os",
    "path",
    "perf_hooks",
    "process",
    "punycode",
    "querystring",
    "readline",
    "repl",
    "stream",
    "string_decoder",
    "sys",
    "timers",
    "tls",
    "trace_events",
    "tty",
    "url",
    "util",
    "v8",
    "vm",
    "wasi",
    "worker_threads",
    "zlib",
];

/// A call that hands `env` to a function: the function learns which parameter is `env`.
#[derive(Debug, Clone)]
pub struct EnvCall {
    /// The function's local name.
    pub function: String,
    /// When the function is imported: the specifier and the name it is exported under.
    pub imported_from: Option<(String, String)>,
    /// The position of the argument.
    pub argument: usize,
}

/// An export of a module.
#[derive(Debug, Clone)]
pub struct Export {
    /// The name it is exported under.
    pub exported: String,
    /// The local name, for a declaration or `export { local as exported }`.
    pub local: Option<String>,
    /// For a re-export: the specifier and the name in that module.
    pub from: Option<(String, String)>,
}

/// What one module yields.
#[derive(Debug, Default)]
pub struct ModuleSummary {
    /// Every import specifier.
    pub imports: Vec<(String, Span)>,
    /// Reads of bindings.
    pub uses: Vec<BindingUse>,
    /// Methods called on bindings.
    pub method_calls: Vec<MethodCall>,
    /// Reads whose binding is computed.
    pub dynamic_uses: Vec<CodeSpan>,
    /// SQL handed to D1.
    pub queries: Vec<Query>,
    /// Imports of Node built-ins.
    pub node_imports: Vec<NodeImport>,
    /// Calls that hand `env` to a function.
    pub env_calls: Vec<EnvCall>,
    /// Classes declared here: local name, the class extended, where.
    pub classes: Vec<(String, Option<String>, Span)>,
    /// Exports.
    pub exports: Vec<Export>,
    /// `export * from "..."` specifiers.
    pub star_exports: Vec<String>,
    /// A syntax error, when the module did not parse.
    pub gap: Option<Gap>,
    /// Whether `env` is handed to something other than a plain function call.
    pub env_escapes: bool,
    /// Imported names: local name to the specifier and the name it is exported under there.
    pub imported: HashMap<String, (String, String)>,
    /// Names declared by `export const` and the like, with where: exported values that are not
    /// class declarations (a class wrapped by a function, a class expression).
    pub variables: Vec<(String, Span)>,
}

/// What a local name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    /// The `env` object.
    Env,
    /// A binding read from `env` into a local: `const db = env.DB`.
    Binding(String),
    /// A function parameter: its `.env` is `env` (Hono's `c`, Pages' `context`).
    Parameter,
    /// A constant string, for SQL kept in a variable.
    Text(String),
    /// The `cloudflare:workers` module imported as a namespace: its `.env` is `env`.
    WorkersModule,
    /// Anything else; hides an outer name.
    Other,
}

/// What an expression evaluates to, as far as bindings go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Env,
    Binding(String),
}

struct Walker<'p> {
    file: FileIndex,
    path: &'p Path,
    env_parameters: &'p BTreeMap<(PathBuf, String), BTreeSet<usize>>,
    scopes: Vec<HashMap<String, Role>>,
    imported: HashMap<String, (String, String)>,
    /// Roles for the parameters of the next function entered, by position.
    pending_parameters: Option<HashMap<usize, Role>>,
    /// The name of the next function entered, when it is given by a declaration around it.
    pending_name: Option<String>,
    /// For each enclosing class: whether `this.env` is `env` in it.
    classes: Vec<bool>,
    /// Whether the declarations being visited are `const`: only those keep the SQL they hold.
    in_const: bool,
    /// Whether the next function entered is a callback handed to a call (Hono's
    /// `app.get(path, (c) => ...)`): only a callback's parameter can be a context with `.env`.
    callback: bool,
    /// The local name the module exports as default (`export default handler`,
    /// `export { worker as default }`), whose object holds the handlers.
    default_local: Option<String>,
    summary: ModuleSummary,
}

/// Parses and walks one module.
pub fn walk_module(
    file: &SourceFile,
    index: FileIndex,
    path: &Path,
    env_parameters: &BTreeMap<(PathBuf, String), BTreeSet<usize>>,
) -> ModuleSummary {
    let allocator = Allocator::default();
    // wrangler's bundler reads JSX in .js files too.
    let source_type = match SourceType::from_path(path) {
        Ok(source_type) if source_type.is_javascript() => source_type.with_jsx(true),
        Ok(source_type) => source_type,
        Err(_) => SourceType::tsx(),
    };
    let parsed = Parser::new(&allocator, &file.text, source_type).parse();
    let mut walker = Walker {
        file: index,
        path,
        env_parameters,
        scopes: vec![HashMap::new()],
        imported: HashMap::new(),
        pending_parameters: None,
        pending_name: None,
        classes: Vec::new(),
        in_const: false,
        callback: false,
        default_local: default_export_name(&parsed.program),
        summary: ModuleSummary::default(),
    };
    if let Some(error) = parsed.diagnostics.first()
        && (parsed.panicked || parsed.program.body.is_empty())
    {
        let span = error.labels.first().map_or(Span::default(), |label| {
            Span::new(label.offset() as usize, (label.offset() + label.len()) as usize)
        });
        walker.summary.gap =
            Some(Gap::ParseError { file: index, message: error.message.to_string(), span });
        return walker.summary;
    }
    walker.visit_program(&parsed.program);
    walker.summary.imported = std::mem::take(&mut walker.imported);
    walker.summary
}

/// The local name exported as default, when the default export is a name.
fn default_export_name(program: &oxc_ast::ast::Program<'_>) -> Option<String> {
    program.body.iter().find_map(|statement| match statement {
        oxc_ast::ast::Statement::ExportDefaultDeclaration(export) => match &export.declaration {
            ExportDefaultDeclarationKind::Identifier(id) => Some(id.name.to_string()),
            _ => None,
        },
        oxc_ast::ast::Statement::ExportNamedDeclaration(export) => export
            .specifiers
            .iter()
            .find(|s| export_name(&s.exported) == "default")
            .map(|s| export_name(&s.local)),
        _ => None,
    })
}

fn span(span: oxc_span::Span) -> Span {
    Span::new(span.start as usize, span.end as usize)
}

fn export_name(name: &ModuleExportName<'_>) -> String {
    match name {
        ModuleExportName::IdentifierName(id) => id.name.to_string(),
        ModuleExportName::IdentifierReference(id) => id.name.to_string(),
        ModuleExportName::StringLiteral(text) => text.value.to_string(),
    }
}

fn property_name(key: &PropertyKey<'_>) -> Option<String> {
    key.static_name().map(|name| name.to_string())
}

impl Walker<'_> {
    fn at(&self, span: Span) -> CodeSpan {
        CodeSpan { file: self.file, span }
    }

    fn role(&self, name: &str) -> Option<&Role> {
        self.scopes.iter().rev().find_map(|scope| scope.get(name))
    }

    fn declare(&mut self, name: &str, role: Role) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_owned(), role);
        }
    }

    /// What an expression is, as far as `env` goes.
    fn evaluate(&self, expression: &Expression<'_>) -> Option<Value> {
        match expression.get_inner_expression() {
            Expression::Identifier(id) => match self.role(&id.name)? {
                Role::Env => Some(Value::Env),
                Role::Binding(name) => Some(Value::Binding(name.clone())),
                _ => None,
            },
            Expression::StaticMemberExpression(member) => {
                let property = member.property.name.as_str();
                match member.object.get_inner_expression() {
                    Expression::ThisExpression(_) if property == "env" => {
                        self.classes.last().copied().unwrap_or(false).then_some(Value::Env)
                    }
                    Expression::Identifier(id)
                        if property == "env"
                            && matches!(
                                self.role(&id.name),
                                Some(Role::Parameter | Role::WorkersModule)
                            ) =>
                    {
                        Some(Value::Env)
                    }
                    object => match self.evaluate(object)? {
                        Value::Env => Some(Value::Binding(property.to_owned())),
                        Value::Binding(_) => None,
                    },
                }
            }
            Expression::ComputedMemberExpression(member) => {
                let Expression::StringLiteral(key) = member.expression.get_inner_expression()
                else {
                    return None;
                };
                match self.evaluate(&member.object)? {
                    Value::Env => Some(Value::Binding(key.value.to_string())),
                    Value::Binding(_) => None,
                }
            }
            _ => None,
        }
    }

    /// Binds the names of a pattern whose value is `env` (or, with `Role::Other`, anything).
    fn bind_pattern(&mut self, pattern: &BindingPattern<'_>, role: &Role) {
        match pattern {
            BindingPattern::BindingIdentifier(id) => self.declare(&id.name, role.clone()),
            BindingPattern::AssignmentPattern(assignment) => {
                self.bind_pattern(&assignment.left, role);
            }
            BindingPattern::ArrayPattern(array) => {
                for element in array.elements.iter().flatten() {
                    self.bind_pattern(element, &Role::Other);
                }
                if let Some(rest) = &array.rest {
                    self.bind_pattern(&rest.argument, &Role::Other);
                }
            }
            BindingPattern::ObjectPattern(object) => {
                for property in &object.properties {
                    let key = property_name(&property.key);
                    match (role, key) {
                        // `const { DB } = env`: a read of DB, bound to a local.
                        (Role::Env, Some(key)) => {
                            let at = self.at(span(property.key.span()));
                            self.summary.uses.push(BindingUse { name: key.clone(), at });
                            self.bind_pattern(&property.value, &Role::Binding(key));
                        }
                        // `({ env }) => ...`: Pages Functions and friends destructure `env`.
                        (Role::Parameter, Some(key)) if key == "env" => {
                            self.bind_pattern(&property.value, &Role::Env);
                        }
                        _ => self.bind_pattern(&property.value, &Role::Other),
                    }
                }
                if let Some(rest) = &object.rest {
                    let rest_role = if *role == Role::Env { Role::Env } else { Role::Other };
                    self.bind_pattern(&rest.argument, &rest_role);
                }
            }
        }
    }

    fn enter_function(&mut self, names: &[String], parameters: &FormalParameters<'_>) {
        let mut roles = self.pending_parameters.take().unwrap_or_default();
        for name in names {
            let key = (self.path.to_owned(), name.clone());
            for &position in self.env_parameters.get(&key).into_iter().flatten() {
                roles.insert(position, Role::Env);
            }
        }
        // A context parameter (`c.env`, `context.env`, `({ env })`) belongs to a callback or a
        // Pages Functions handler; any other function's parameters are plain values.
        let callback = std::mem::take(&mut self.callback);
        let pages = names.iter().any(|n| n.starts_with("onRequest"));
        let default = if callback || pages { Role::Parameter } else { Role::Other };
        self.scopes.push(HashMap::new());
        for (position, parameter) in parameters.items.iter().enumerate() {
            let role = roles.remove(&position).unwrap_or_else(|| default.clone());
            match (&role, &parameter.pattern) {
                // Only a plain identifier parameter can be a Hono `c`; destructured parameters
                // bind their names as ordinary locals, except `env` itself.
                (Role::Parameter, BindingPattern::BindingIdentifier(id)) => {
                    self.declare(&id.name, Role::Parameter);
                }
                _ => self.bind_pattern(&parameter.pattern, &role),
            }
        }
        if let Some(rest) = &parameters.rest {
            self.bind_pattern(&rest.rest.argument, &Role::Other);
        }
    }

    fn record_sql(&mut self, binding: &str, method: &str, call: &CallExpression<'_>) {
        let Some(argument) = call.arguments.first() else { return };
        let Some(expression) = argument.as_expression() else { return };
        let mut placeholders = 0;
        let (sql, at) = match expression.get_inner_expression() {
            Expression::StringLiteral(text) => (Some(text.value.to_string()), span(text.span)),
            Expression::TemplateLiteral(template) => {
                placeholders = template.expressions.len();
                let mut text = String::new();
                let mut complete = true;
                for (index, quasi) in template.quasis.iter().enumerate() {
                    match &quasi.value.cooked {
                        Some(cooked) => text.push_str(cooked),
                        None => complete = false,
                    }
                    if index + 1 < template.quasis.len() {
                        text.push('?');
                    }
                }
                (complete.then_some(text), span(template.span))
            }
            Expression::Identifier(id) => match self.role(&id.name) {
                Some(Role::Text(text)) => (Some(text.clone()), span(id.span)),
                _ => (None, span(id.span)),
            },
            other => (None, span(other.span())),
        };
        let at = self.at(at);
        self.summary.queries.push(Query {
            binding: binding.to_owned(),
            method: method.to_owned(),
            sql,
            placeholders,
            at,
        });
    }

    fn record_import(&mut self, specifier: &str, at: Span) {
        self.summary.imports.push((specifier.to_owned(), at));
        let bare = specifier.split('/').next().unwrap_or(specifier);
        if specifier.starts_with("node:") || NODE_BUILTINS.contains(&bare) {
            let at = self.at(at);
            self.summary.node_imports.push(NodeImport { specifier: specifier.to_owned(), at });
        }
    }

    /// Whether an object literal carries `env` somewhere inside it (`{ cloudflare: { env } }`).
    fn holds_env(&self, expression: &Expression<'_>) -> bool {
        let Expression::ObjectExpression(object) = expression.get_inner_expression() else {
            return false;
        };
        object.properties.iter().any(|property| match property {
            ObjectPropertyKind::ObjectProperty(property) => {
                self.evaluate(&property.value) == Some(Value::Env)
                    || self.holds_env(&property.value)
            }
            ObjectPropertyKind::SpreadProperty(spread) => {
                self.evaluate(&spread.argument) == Some(Value::Env)
            }
        })
    }

    /// Visits what a module exports as default when it holds the handlers: an object, or a
    /// wrapper call around one (`withSentry(config, { fetch(request, env) {...} })`). Returns
    /// whether it did.
    fn visit_handlers(&mut self, expression: &Expression<'_>) -> bool {
        match expression.get_inner_expression() {
            Expression::ObjectExpression(object) => {
                self.visit_default_object(&object.properties);
                true
            }
            Expression::CallExpression(call)
                if call.arguments.iter().any(|a| {
                    matches!(
                        a.as_expression().map(Expression::get_inner_expression),
                        Some(Expression::ObjectExpression(_))
                    )
                }) =>
            {
                self.visit_expression(&call.callee);
                for argument in &call.arguments {
                    match argument.as_expression().map(Expression::get_inner_expression) {
                        Some(Expression::ObjectExpression(object)) => {
                            self.visit_default_object(&object.properties);
                        }
                        _ => self.visit_argument(argument),
                    }
                }
                true
            }
            _ => false,
        }
    }

    /// The handlers of `export default { fetch(request, env) {...} }`.
    fn visit_default_object(
        &mut self,
        properties: &oxc_allocator::Vec<'_, ObjectPropertyKind<'_>>,
    ) {
        for property in properties {
            let ObjectPropertyKind::ObjectProperty(property) = property else {
                // `export default { ...router }`: the handlers come from elsewhere, and `env`
                // goes where the analysis cannot follow.
                self.summary.env_escapes = true;
                self.visit_object_property_kind(property);
                continue;
            };
            let is_handler =
                property_name(&property.key).is_some_and(|k| HANDLERS.contains(&k.as_str()));
            match property.value.get_inner_expression() {
                Expression::FunctionExpression(_) | Expression::ArrowFunctionExpression(_)
                    if is_handler =>
                {
                    self.pending_parameters = Some(HashMap::from([(1, Role::Env)]));
                }
                // `export default { fetch: handle }`: `handle` learns that parameter 1 is env.
                Expression::Identifier(id) if is_handler => {
                    let imported_from = self.imported.get(id.name.as_str()).cloned();
                    self.summary.env_calls.push(EnvCall {
                        function: id.name.to_string(),
                        imported_from,
                        argument: 1,
                    });
                }
                _ => {}
            }
            self.visit_expression(&property.value);
            self.pending_parameters = None;
        }
    }
}

impl<'a> Visit<'a> for Walker<'_> {
    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        if it.import_kind == ImportOrExportKind::Type {
            return;
        }
        let specifier = it.source.value.as_str();
        self.record_import(specifier, span(it.source.span));
        for imported in it.specifiers.iter().flatten() {
            match imported {
                ImportDeclarationSpecifier::ImportSpecifier(named) => {
                    let name = export_name(&named.imported);
                    if specifier == "cloudflare:workers" && name == "env" {
                        self.declare(&named.local.name, Role::Env);
                    } else {
                        self.imported
                            .insert(named.local.name.to_string(), (specifier.to_owned(), name));
                    }
                }
                ImportDeclarationSpecifier::ImportDefaultSpecifier(default) => {
                    self.imported.insert(
                        default.local.name.to_string(),
                        (specifier.to_owned(), "default".to_owned()),
                    );
                }
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(namespace) => {
                    // `import * as workers from "cloudflare:workers"; workers.env.X`
                    if specifier == "cloudflare:workers" {
                        self.declare(&namespace.local.name, Role::WorkersModule);
                    }
                }
            }
        }
    }

    fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
        if let Expression::StringLiteral(text) = it.source.get_inner_expression() {
            self.record_import(text.value.as_str(), span(text.span));
        }
        walk::walk_import_expression(self, it);
    }

    fn visit_export_named_declaration(&mut self, it: &ExportNamedDeclaration<'a>) {
        if it.export_kind == ImportOrExportKind::Type {
            return;
        }
        for specifier in &it.specifiers {
            let local = Some(export_name(&specifier.local));
            self.summary.exports.push(Export {
                exported: export_name(&specifier.exported),
                local,
                from: None,
            });
        }
        walk::walk_export_named_declaration(self, it);
    }

    fn visit_export_from_declaration(&mut self, it: &ExportFromDeclaration<'a>) {
        if it.export_kind == ImportOrExportKind::Type {
            return;
        }
        let source = it.source.value.to_string();
        self.record_import(&source, span(it.source.span));
        for specifier in &it.specifiers {
            let from = Some((source.clone(), export_name(&specifier.local)));
            self.summary.exports.push(Export {
                exported: export_name(&specifier.exported),
                local: None,
                from,
            });
        }
    }

    fn visit_export_declaration(&mut self, it: &ExportDeclaration<'a>) {
        let names: Vec<(String, Span)> = match &it.declaration {
            Declaration::ClassDeclaration(class) => {
                class.id.iter().map(|id| (id.name.to_string(), span(id.span))).collect()
            }
            Declaration::FunctionDeclaration(function) => {
                function.id.iter().map(|id| (id.name.to_string(), span(id.span))).collect()
            }
            // `export const Room = instrument(Base)`: exported, whatever it holds.
            Declaration::VariableDeclaration(declaration) => declaration
                .declarations
                .iter()
                .filter_map(|d| match &d.id {
                    BindingPattern::BindingIdentifier(id) => {
                        Some((id.name.to_string(), span(id.span)))
                    }
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for (name, at) in names {
            self.summary.variables.push((name.clone(), at));
            self.summary.exports.push(Export {
                exported: name.clone(),
                local: Some(name),
                from: None,
            });
        }
        walk::walk_export_declaration(self, it);
    }

    fn visit_export_all_declaration(&mut self, it: &ExportAllDeclaration<'a>) {
        self.record_import(it.source.value.as_str(), span(it.source.span));
        if it.exported.is_none() {
            self.summary.star_exports.push(it.source.value.to_string());
        }
    }

    fn visit_export_default_declaration(&mut self, it: &ExportDefaultDeclaration<'a>) {
        match &it.declaration {
            ExportDefaultDeclarationKind::ClassDeclaration(class) => {
                let local = class.id.as_ref().map(|id| id.name.to_string());
                self.summary.exports.push(Export {
                    exported: "default".to_owned(),
                    local,
                    from: None,
                });
                self.visit_class(class);
            }
            kind => {
                if let Some(expression) = kind.as_expression()
                    && self.visit_handlers(expression)
                {
                    return;
                }
                // `export default function save(env)` is called as `default` by its importers.
                self.pending_name = Some("default".to_owned());
                walk::walk_export_default_declaration(self, it);
                self.pending_name = None;
            }
        }
    }

    fn visit_class(&mut self, it: &Class<'a>) {
        let extends = it.heritage.as_ref().and_then(|heritage| {
            match heritage.expression.get_inner_expression() {
                Expression::Identifier(id) => Some(id.name.to_string()),
                Expression::StaticMemberExpression(member) => {
                    Some(member.property.name.to_string())
                }
                // `class X extends DurableObject<Env>` parses the type arguments separately.
                _ => None,
            }
        });
        let carries_env = extends.as_deref().is_some_and(|base| ENV_CLASSES.contains(&base));
        if let Some(id) = &it.id {
            self.summary.classes.push((id.name.to_string(), extends.clone(), span(id.span)));
        }
        self.classes.push(carries_env);
        walk::walk_class(self, it);
        self.classes.pop();
    }

    fn visit_method_definition(&mut self, it: &MethodDefinition<'a>) {
        if it.kind == MethodDefinitionKind::Constructor && self.classes.last() == Some(&true) {
            self.pending_parameters = Some(HashMap::from([(1, Role::Env)]));
        }
        walk::walk_method_definition(self, it);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        // A function is known by its own name and by the name it is declared or exported under.
        let names: Vec<String> = it
            .id
            .as_ref()
            .map(|id| id.name.to_string())
            .into_iter()
            .chain(self.pending_name.take())
            .collect();
        if let Some(id) = &it.id
            && let Some(scope) = self.scopes.last_mut()
        {
            scope.entry(id.name.to_string()).or_insert(Role::Other);
        }
        self.enter_function(&names, &it.params);
        walk::walk_function(self, it, flags);
        self.scopes.pop();
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        let names: Vec<String> = self.pending_name.take().into_iter().collect();
        self.enter_function(&names, &it.params);
        walk::walk_arrow_function_expression(self, it);
        self.scopes.pop();
    }

    // Blocks and loops have their own scope: a `const env = ...` inside one hides the handler's
    // `env` only there.
    fn visit_block_statement(&mut self, it: &BlockStatement<'a>) {
        self.scopes.push(HashMap::new());
        walk::walk_block_statement(self, it);
        self.scopes.pop();
    }

    fn visit_for_statement(&mut self, it: &ForStatement<'a>) {
        self.scopes.push(HashMap::new());
        walk::walk_for_statement(self, it);
        self.scopes.pop();
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        self.scopes.push(HashMap::new());
        walk::walk_for_of_statement(self, it);
        self.scopes.pop();
    }

    fn visit_for_in_statement(&mut self, it: &ForInStatement<'a>) {
        self.scopes.push(HashMap::new());
        walk::walk_for_in_statement(self, it);
        self.scopes.pop();
    }

    fn visit_catch_clause(&mut self, it: &CatchClause<'a>) {
        self.scopes.push(HashMap::new());
        if let Some(parameter) = &it.param {
            self.bind_pattern(&parameter.pattern, &Role::Other);
        }
        walk::walk_catch_clause(self, it);
        self.scopes.pop();
    }

    fn visit_variable_declaration(&mut self, it: &VariableDeclaration<'a>) {
        let outer = self.in_const;
        self.in_const = it.kind == VariableDeclarationKind::Const;
        walk::walk_variable_declaration(self, it);
        self.in_const = outer;
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        let function_name = match (&it.id, it.init.as_ref().map(Expression::get_inner_expression)) {
            (
                BindingPattern::BindingIdentifier(id),
                Some(Expression::ArrowFunctionExpression(_) | Expression::FunctionExpression(_)),
            ) => Some(id.name.to_string()),
            _ => None,
        };
        let is_default = matches!(&it.id, BindingPattern::BindingIdentifier(id) if self.default_local.as_deref() == Some(id.name.as_str()));
        if let Some(init) = &it.init {
            if is_default && self.visit_handlers(init) {
                // `const handler = { fetch(request, env) {...} }; export default handler;`
            } else {
                self.pending_name = function_name;
                self.visit_expression(init);
                self.pending_name = None;
            }
        }
        let role = match it.init.as_ref() {
            Some(init) => match (self.evaluate(init), init.get_inner_expression()) {
                (Some(Value::Env), _) => Role::Env,
                (Some(Value::Binding(name)), _) => Role::Binding(name),
                // `let sql = "..."; sql += ...` is built up later: only a constant is followed.
                (None, Expression::StringLiteral(text)) if self.in_const => {
                    Role::Text(text.value.to_string())
                }
                (None, Expression::TemplateLiteral(template))
                    if self.in_const && template.expressions.is_empty() =>
                {
                    Role::Text(
                        template
                            .quasis
                            .iter()
                            .filter_map(|q| {
                                q.value.cooked.as_ref().map(std::string::ToString::to_string)
                            })
                            .collect(),
                    )
                }
                _ => Role::Other,
            },
            None => Role::Other,
        };
        // A destructured binding read records its uses in bind_pattern; a plain alias of
        // `env.DB` was recorded when the member expression was visited.
        self.bind_pattern(&it.id, &role);
    }

    fn visit_static_member_expression(&mut self, it: &StaticMemberExpression<'a>) {
        if self.evaluate(&it.object) == Some(Value::Env) {
            let at = self.at(span(it.property.span));
            self.summary.uses.push(BindingUse { name: it.property.name.to_string(), at });
        }
        walk::walk_static_member_expression(self, it);
    }

    fn visit_computed_member_expression(&mut self, it: &ComputedMemberExpression<'a>) {
        if self.evaluate(&it.object) == Some(Value::Env) {
            match it.expression.get_inner_expression() {
                Expression::StringLiteral(key) => {
                    let at = self.at(span(key.span));
                    self.summary.uses.push(BindingUse { name: key.value.to_string(), at });
                }
                other => {
                    let at = self.at(span(other.span()));
                    self.summary.dynamic_uses.push(at);
                }
            }
        }
        walk::walk_computed_member_expression(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if let Expression::StaticMemberExpression(callee) = it.callee.get_inner_expression()
            && let Some(Value::Binding(binding)) = self.evaluate(&callee.object)
        {
            let method = callee.property.name.to_string();
            let at = self.at(span(callee.property.span));
            if matches!(method.as_str(), "prepare" | "exec") {
                self.record_sql(&binding, &method, it);
            }
            self.summary.method_calls.push(MethodCall { binding, method, at });
        }
        let hands_env = it
            .arguments
            .iter()
            .any(|a| a.as_expression().and_then(|e| self.evaluate(e)) == Some(Value::Env));
        // `env` inside an object handed to a call (`handler(request, { cloudflare: { env } })`)
        // goes where the analysis cannot follow.
        let wraps_env =
            it.arguments.iter().any(|a| a.as_expression().is_some_and(|e| self.holds_env(e)));
        if wraps_env
            || (hands_env && !matches!(it.callee.get_inner_expression(), Expression::Identifier(_)))
        {
            self.summary.env_escapes = true;
        }
        if let Expression::Identifier(callee) = it.callee.get_inner_expression() {
            if callee.name == "require"
                && let Some(Argument::StringLiteral(text)) = it.arguments.first()
            {
                self.record_import(text.value.as_str(), span(text.span));
            }
            for (position, argument) in it.arguments.iter().enumerate() {
                if argument.as_expression().and_then(|e| self.evaluate(e)) == Some(Value::Env) {
                    let imported_from = self.imported.get(callee.name.as_str()).cloned();
                    self.summary.env_calls.push(EnvCall {
                        function: callee.name.to_string(),
                        imported_from,
                        argument: position,
                    });
                }
            }
        }
        self.visit_expression(&it.callee);
        for argument in &it.arguments {
            let inner = argument.as_expression().map(Expression::get_inner_expression);
            self.callback = matches!(
                inner,
                Some(Expression::ArrowFunctionExpression(_) | Expression::FunctionExpression(_))
            );
            self.visit_argument(argument);
            self.callback = false;
        }
    }
}
