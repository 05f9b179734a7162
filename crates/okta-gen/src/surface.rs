//! The command surface as data: every API command (from the facts, named and shaped like the official
//! module's where it has one), every model builder and JSON converter. The emitters only print this.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::compat::{COMMON_API_PARAMETERS, Compat, CompatCommand, CompatParam};
use crate::facts::{Facts, Operation, Param, Schema};
use crate::naming::{self, parameter_name, upper_first};
use crate::overrides::Overrides;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Location {
    Path,
    Query,
    Header,
    Body,
}

/// The C# type of a parameter. Scalars are nullable so that "not given" is never confused with 0/false.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CsType {
    String,
    /// A date: a DateTime/DateTimeOffset is sent as ISO 8601 UTC, a string as written.
    Date,
    Int,
    Long,
    Double,
    Bool,
    StringArray,
    /// A body or a nested object: PSCustomObject, hashtable, builder output or JSON text.
    Object,
    ObjectArray,
    /// A file to upload: a FileInfo or a path.
    File,
    Switch,
}

impl CsType {
    pub fn from_compat(ty: &str) -> CsType {
        match ty {
            "String" => CsType::String,
            "System.Nullable[Int32]" | "Int32" => CsType::Int,
            "System.Nullable[Int64]" | "Int64" => CsType::Long,
            "System.Nullable[Boolean]" | "Boolean" => CsType::Bool,
            "System.Nullable[Double]" | "Double" | "System.Nullable[Decimal]" => CsType::Double,
            "System.Nullable[System.DateTime]" => CsType::Date,
            "String[]" => CsType::StringArray,
            "PSCustomObject[]" | "System.Collections.Hashtable[]" => CsType::ObjectArray,
            "System.IO.FileInfo" => CsType::File,
            "Switch" => CsType::Switch,
            _ => CsType::Object,
        }
    }

    pub fn from_facts(param: &Param) -> CsType {
        let format = param.format.as_deref().unwrap_or_default();
        match param.ty.as_deref() {
            Some("string") if format == "date-time" || format.contains("ISO 8601") => CsType::Date,
            Some("string") => CsType::String,
            Some("integer") if format == "int64" => CsType::Long,
            Some("integer") => CsType::Int,
            Some("number") => CsType::Double,
            Some("boolean") => CsType::Bool,
            Some("array") => match param.array_of.as_deref().and_then(|item| item.ty.as_deref()) {
                Some("string") => CsType::StringArray,
                _ => CsType::ObjectArray,
            },
            // a `ref` to an enum schema is a string on the wire
            None if !param.r#enum.is_empty() => CsType::String,
            _ => CsType::Object,
        }
    }

    /// Whether the type is a plain value that a path segment or query value can carry.
    pub fn is_scalar(self) -> bool {
        !matches!(self, CsType::Object | CsType::ObjectArray | CsType::File)
    }
}

#[derive(Clone, Debug)]
pub struct CommandParam {
    pub name: String,
    /// The wire name (path variable, query or header name); empty for the body.
    pub wire: String,
    pub location: Location,
    pub ty: CsType,
    pub position: Option<u32>,
    pub pipeline: bool,
    pub by_property_name: bool,
    /// Path parameters are mandatory (outside the -Uri parameter set).
    pub mandatory: bool,
    /// Binds the `id` property of piped objects (the resource the command acts on).
    pub id_alias: bool,
    pub enum_values: Vec<String>,
    /// The official 2.0.2 module sends this query parameter, but spec 2026.06.3 no longer lists it.
    pub legacy: bool,
}

#[derive(Clone, Debug)]
pub struct Returns {
    pub schema: Option<String>,
    pub array: bool,
    pub content_type: String,
}

#[derive(Clone, Debug)]
pub struct ApiCommand {
    pub name: String,
    pub operation_id: String,
    pub tag: String,
    pub method: String,
    pub path: String,
    pub params: Vec<CommandParam>,
    pub body_content_type: Option<String>,
    pub body_schema: Option<String>,
    pub returns: Option<Returns>,
    pub success_status: String,
    pub paginated: bool,
    /// The next link never ends (the System Log): -All stops at the first empty page.
    pub endless_next_link: bool,
    pub limit_max: Option<i64>,
    pub scopes: Vec<String>,
    pub lifecycle: String,
    pub aliases: Vec<String>,
    /// In the official 2.0.2 module.
    pub official: bool,
    /// The official command's operation is not in the current spec: it keeps its 2.0.2 path.
    pub legacy: bool,
    /// The official command's path or path-parameter names changed in the current spec.
    pub path_changed: bool,
}

impl ApiCommand {
    pub fn writes(&self) -> bool {
        !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS")
    }

    pub fn body(&self) -> Option<&CommandParam> {
        self.params.iter().find(|p| p.location == Location::Body)
    }

    pub fn has_path_params(&self) -> bool {
        self.params.iter().any(|p| p.location == Location::Path)
    }
}

#[derive(Clone, Debug)]
pub struct ModelParam {
    pub name: String,
    pub json: String,
    pub ty: CsType,
    pub position: Option<u32>,
    pub by_property_name: bool,
    pub enum_values: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct ModelCommand {
    /// `Initialize-Okta<Schema>`; its converter is `ConvertFrom-OktaJsonTo<Schema>`.
    pub schema: String,
    pub params: Vec<ModelParam>,
    pub official: bool,
    pub in_spec: bool,
}

impl ModelCommand {
    pub fn builder_name(&self) -> String {
        format!("Initialize-Okta{}", self.schema)
    }
    pub fn converter_name(&self) -> String {
        format!("ConvertFrom-OktaJsonTo{}", self.schema)
    }
}

pub struct Surface {
    pub api: Vec<ApiCommand>,
    pub models: Vec<ModelCommand>,
    /// Schema → (discriminating property, value → sub-schema).
    pub discriminators: BTreeMap<String, (String, BTreeMap<String, String>)>,
    /// Schema → its parents (for type names: a SamlApplication is also an Application).
    pub parents: BTreeMap<String, Vec<String>>,
    pub spec_version: String,
}

pub fn build(facts: &Facts, compat: &Compat, overrides: &Overrides) -> Result<Surface, String> {
    overrides.check_reasons()?;
    let schemas: HashMap<&str, &Schema> = facts.schemas.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut api = Vec::new();
    let mut mapped = BTreeSet::new();

    let by_path: HashMap<(String, String), &Operation> =
        facts.operations.iter().map(|o| ((o.method.clone(), o.path.clone()), o)).collect();
    let by_shape: HashMap<(String, String), &Operation> =
        facts.operations.iter().map(|o| ((o.method.clone(), path_shape(&o.path)), o)).collect();
    let by_id: HashMap<&str, &Operation> = facts.operations.iter().map(|o| (o.operation_id.as_str(), o)).collect();

    for (name, command) in compat.commands.iter().filter(|(name, _)| !name.starts_with("Initialize-")) {
        if overrides.hand_written.contains_key(name) {
            continue;
        }
        let method = command.method.clone().ok_or_else(|| format!("{name}: no method in the compat file"))?;
        let path = command.path.clone().ok_or_else(|| format!("{name}: no path in the compat file"))?;
        let operation = match overrides.operation_of.get(name) {
            Some(entry) => Some(
                *by_id
                    .get(entry.value.as_str())
                    .ok_or_else(|| format!("overrides: {name} → unknown operation {}", entry.value))?,
            ),
            None => by_path
                .get(&(method.clone(), path.clone()))
                .or_else(|| by_shape.get(&(method.clone(), path_shape(&path))))
                .copied(),
        };
        let built = match operation {
            Some(operation) => {
                if !mapped.insert(operation.operation_id.clone()) {
                    return Err(format!("{name}: operation {} is already mapped to another command", operation.operation_id));
                }
                official_command(name, command, operation, &path, &schemas)?
            }
            None => legacy_command(name, command, &method, &path),
        };
        api.push(built);
    }

    for operation in &facts.operations {
        if mapped.contains(&operation.operation_id) {
            continue;
        }
        let name = match overrides.renames.get(&operation.operation_id) {
            Some(entry) => entry.value.clone(),
            None => naming::command_name(&operation.operation_id),
        };
        api.push(new_command(&name, operation, &schemas));
    }
    for (operation_id, _) in &overrides.renames {
        if !by_id.contains_key(operation_id.as_str()) {
            return Err(format!("overrides.renames: unknown operation {operation_id}"));
        }
    }

    let models = build_models(facts, compat, &schemas);

    // Aliases: where the current spec's operation id names the command with a specific verb of its own.
    let mut taken: BTreeSet<String> = api.iter().map(|c| c.name.to_ascii_lowercase()).collect();
    for model in &models {
        taken.insert(model.builder_name().to_ascii_lowercase());
        taken.insert(model.converter_name().to_ascii_lowercase());
    }
    let mut seen = BTreeSet::new();
    for name in api.iter().map(|c| c.name.to_ascii_lowercase()).chain(
        models.iter().flat_map(|m| [m.builder_name().to_ascii_lowercase(), m.converter_name().to_ascii_lowercase()]),
    ) {
        if !seen.insert(name.clone()) {
            return Err(format!("two commands would be named {name}: add a rename to api/overrides.json"));
        }
    }
    for command in api.iter_mut().filter(|c| c.official && !c.legacy) {
        let by_rule = naming::command_name(&command.operation_id);
        if by_rule != command.name && naming::has_specific_verb(&by_rule) && taken.insert(by_rule.to_ascii_lowercase()) {
            command.aliases.push(by_rule);
        }
    }

    for (operation_id, _) in &overrides.endless_next_link {
        let command = api
            .iter_mut()
            .find(|c| &c.operation_id == operation_id)
            .ok_or_else(|| format!("overrides.endlessNextLink: unknown operation {operation_id}"))?;
        command.endless_next_link = true;
    }
    api.sort_by(|a, b| a.name.cmp(&b.name));
    let mut discriminators = BTreeMap::new();
    let mut parents = BTreeMap::new();
    for schema in &facts.schemas {
        if let Some(d) = &schema.discriminator {
            discriminators.insert(schema.name.clone(), (d.property_name.clone(), d.mapping.clone()));
        }
        if !schema.inherits.is_empty() {
            parents.insert(schema.name.clone(), ancestors(&schema.name, &schemas));
        }
    }
    let spec_version = facts.source.get("specVersion").and_then(|v| v.as_str()).unwrap_or("unknown").to_owned();
    Ok(Surface { api, models, discriminators, parents, spec_version })
}

/// `/api/v1/users/{userId}` → `/api/v1/users/{}`: the official module's paths match the current spec's
/// up to the names of their variables.
fn path_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                shape.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => shape.push(c),
        }
    }
    shape
}

fn path_variables(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned())).collect()
}

fn ancestors(name: &str, schemas: &HashMap<&str, &Schema>) -> Vec<String> {
    let mut out = Vec::new();
    let mut queue = vec![name.to_owned()];
    while let Some(current) = queue.pop() {
        if let Some(schema) = schemas.get(current.as_str()) {
            for parent in &schema.inherits {
                if !out.contains(parent) {
                    out.push(parent.clone());
                    queue.push(parent.clone());
                }
            }
        }
    }
    out
}

/// The schema an answer is typed with: its reference, or for a `oneOf` the nearest schema every
/// alternative extends (an Application for the nine kinds of app; the discriminator then names each one).
fn schema_of(value: &Param, schemas: &HashMap<&str, &Schema>) -> Option<String> {
    if let Some(reference) = &value.reference {
        return Some(reference.clone());
    }
    let alternatives: Vec<&str> = value.one_of.iter().filter_map(|p| p.reference.as_deref()).collect();
    let first = alternatives.first()?;
    let mut candidates = vec![first.to_string()];
    candidates.extend(ancestors(first, schemas));
    candidates.into_iter().find(|candidate| {
        alternatives.iter().all(|alt| *alt == candidate || ancestors(alt, schemas).contains(candidate))
    })
}

fn success_of(operation: &Operation, schemas: &HashMap<&str, &Schema>) -> (String, Option<Returns>) {
    match operation.success() {
        Some((status, content)) => {
            let returns = content.map(|content| {
                let schema = content.schema.as_ref();
                let array = schema.and_then(|s| s.ty.as_deref()) == Some("array");
                let reference = if array {
                    schema.and_then(|s| s.array_of.as_deref()).and_then(|item| schema_of(item, schemas))
                } else {
                    schema.and_then(|s| schema_of(s, schemas))
                };
                Returns { schema: reference.map(|r| upper_first(&r)), array, content_type: content.content_type.clone() }
            });
            (status.to_owned(), returns)
        }
        None => ("200".to_owned(), None),
    }
}

fn base_command(name: &str, operation: &Operation, schemas: &HashMap<&str, &Schema>) -> ApiCommand {
    let (success_status, returns) = success_of(operation, schemas);
    let body = operation.request_body.as_ref().and_then(|body| body.content.first());
    ApiCommand {
        name: name.to_owned(),
        operation_id: operation.operation_id.clone(),
        tag: operation.tag.clone(),
        method: operation.method.to_ascii_uppercase(),
        path: operation.path.clone(),
        params: Vec::new(),
        body_content_type: body.map(|content| content.content_type.clone()),
        body_schema: body.and_then(|content| content.schema.as_ref()).and_then(|schema| {
            schema.reference.clone().or_else(|| schema.array_of.as_ref().and_then(|item| item.reference.clone()))
        }),
        returns,
        success_status,
        paginated: operation.paginated,
        endless_next_link: false,
        limit_max: operation.pagination.limit_max.filter(|max| *max > 0),
        scopes: operation.oauth2_scopes.clone(),
        lifecycle: operation.lifecycle.clone().unwrap_or_else(|| "GA".into()),
        aliases: Vec::new(),
        official: false,
        legacy: false,
        path_changed: false,
    }
}

fn body_type(content_type: Option<&str>) -> CsType {
    match content_type {
        Some("multipart/form-data") => CsType::File,
        _ => CsType::Object,
    }
}

/// An operation the official module had: its parameter names, positions and pipeline binding, mapped onto
/// the current spec's wire names (path variables by position, since some were renamed).
fn official_command(name: &str, compat: &CompatCommand, operation: &Operation, compat_path: &str, schemas: &HashMap<&str, &Schema>) -> Result<ApiCommand, String> {
    let mut command = base_command(name, operation, schemas);
    command.official = true;
    command.path_changed = compat_path != operation.path;
    let old_vars = path_variables(compat_path);
    let new_vars = path_variables(&operation.path);
    let mut assigned_wire: BTreeSet<(u8, String)> = BTreeSet::new();
    let mut leftovers: Vec<&CompatParam> = Vec::new();

    for param in compat.params.iter().filter(|p| !COMMON_API_PARAMETERS.contains(&p.name.as_str())) {
        if let Some(index) = old_vars.iter().position(|v| upper_first(v).eq_ignore_ascii_case(&param.name)) {
            let wire = new_vars.get(index).cloned().ok_or_else(|| format!("{name}: path variable {index} missing"))?;
            assigned_wire.insert((0, wire.clone()));
            command.params.push(compat_param(param, wire, Location::Path));
        } else if let Some(query) = operation.query_params.iter().find(|q| parameter_name(&q.name).eq_ignore_ascii_case(&param.name) || upper_first(&q.name).eq_ignore_ascii_case(&param.name)) {
            assigned_wire.insert((1, query.name.clone()));
            let mut built = compat_param(param, query.name.clone(), Location::Query);
            refine_from_facts(&mut built, query);
            command.params.push(built);
        } else if let Some(header) = operation_headers(operation).find(|h| parameter_name(&h.name).eq_ignore_ascii_case(&param.name)) {
            assigned_wire.insert((2, header.name.clone()));
            command.params.push(compat_param(param, header.name.clone(), Location::Header));
        } else {
            leftovers.push(param);
        }
    }
    // The body: the one object-typed leftover, else the leftover named after the body's schema, else the
    // first leftover; the rest are query parameters the official module sent and the current spec dropped.
    if command.body_content_type.is_some() {
        let pick = leftovers
            .iter()
            .position(|p| !CsType::from_compat(&p.ty).is_scalar())
            .or_else(|| leftovers.iter().position(|p| Some(p.name.as_str()) == command.body_schema.as_deref()))
            .or(if leftovers.is_empty() { None } else { Some(0) });
        if let Some(index) = pick {
            let param = leftovers.remove(index);
            let mut built = compat_param(param, String::new(), Location::Body);
            if command.body_content_type.as_deref() == Some("multipart/form-data") {
                built.ty = CsType::File;
            } else if built.ty.is_scalar() && built.ty != CsType::String {
                built.ty = CsType::Object;
            } else if built.ty == CsType::String || built.ty == CsType::StringArray {
                built.ty = CsType::Object;
            }
            command.params.push(built);
        }
    }
    for param in leftovers {
        let mut built = compat_param(param, lower_first(&param.name), Location::Query);
        built.legacy = true;
        command.params.push(built);
    }
    // Parameters the current spec added to this operation, after the official ones.
    let mut next_position = command.params.iter().filter_map(|p| p.position).max().map_or(0, |p| p + 1);
    let existing: BTreeSet<String> = command.params.iter().map(|p| p.name.to_ascii_lowercase()).collect();
    for (kind, location, param) in operation
        .path_params
        .iter()
        .map(|p| (0u8, Location::Path, p))
        .chain(operation.query_params.iter().map(|p| (1u8, Location::Query, p)))
        .chain(operation_headers(operation).map(|p| (2u8, Location::Header, p)))
    {
        if assigned_wire.contains(&(kind, param.name.clone())) {
            continue;
        }
        let mut built = facts_param(param, location, Some(next_position));
        if existing.contains(&built.name.to_ascii_lowercase()) || COMMON_API_PARAMETERS.iter().any(|c| c.eq_ignore_ascii_case(&built.name)) {
            built.name = format!("{}{}", built.name, if location == Location::Header { "Header" } else { "Value" });
        }
        next_position += 1;
        command.params.push(built);
    }
    if command.body_content_type.is_some() && command.body().is_none() {
        command.params.push(body_param(&command, Some(next_position)));
    }
    finish(&mut command);
    Ok(command)
}

/// A command of the official module whose operation the current spec no longer has: kept on its 2.0.2 path.
fn legacy_command(name: &str, compat: &CompatCommand, method: &str, path: &str) -> ApiCommand {
    let vars = path_variables(path);
    let mut params = Vec::new();
    let mut body_taken = false;
    let writes = !matches!(method, "GET" | "DELETE");
    for param in compat.params.iter().filter(|p| !COMMON_API_PARAMETERS.contains(&p.name.as_str())) {
        if let Some(var) = vars.iter().find(|v| upper_first(v).eq_ignore_ascii_case(&param.name)) {
            params.push(compat_param(param, var.clone(), Location::Path));
        } else if writes && !body_taken && (!CsType::from_compat(&param.ty).is_scalar() || param.name == "Body") {
            body_taken = true;
            let mut built = compat_param(param, String::new(), Location::Body);
            built.ty = body_type(None);
            params.push(built);
        } else {
            params.push(compat_param(param, lower_first(&param.name), Location::Query));
        }
    }
    let returns = compat.returns.as_ref().filter(|r| !r.is_empty()).map(|r| Returns {
        schema: Some(r.trim_end_matches("[]").to_owned()),
        array: r.ends_with("[]"),
        content_type: "application/json".into(),
    });
    let mut command = ApiCommand {
        name: name.to_owned(),
        operation_id: format!("legacy:{name}"),
        tag: "Legacy".into(),
        method: method.to_owned(),
        path: path.to_owned(),
        params,
        body_content_type: body_taken.then(|| "application/json".into()),
        body_schema: None,
        returns,
        success_status: "200".into(),
        paginated: false,
        endless_next_link: false,
        limit_max: None,
        scopes: Vec::new(),
        lifecycle: "Legacy".into(),
        aliases: Vec::new(),
        official: true,
        legacy: true,
        path_changed: false,
    };
    finish(&mut command);
    command
}

/// An operation the official module never had, named and shaped by the same rules.
fn new_command(name: &str, operation: &Operation, schemas: &HashMap<&str, &Schema>) -> ApiCommand {
    let mut command = base_command(name, operation, schemas);
    let mut position = 0;
    for param in &operation.path_params {
        command.params.push(facts_param(param, Location::Path, Some(position)));
        position += 1;
    }
    if command.body_content_type.is_some() {
        command.params.push(body_param(&command, Some(position)));
        position += 1;
    }
    for (location, param) in operation
        .query_params
        .iter()
        .map(|p| (Location::Query, p))
        .chain(operation_headers(operation).map(|p| (Location::Header, p)))
    {
        let mut built = facts_param(param, location, Some(position));
        if command.params.iter().any(|p| p.name.eq_ignore_ascii_case(&built.name))
            || COMMON_API_PARAMETERS.iter().any(|c| c.eq_ignore_ascii_case(&built.name))
        {
            built.name = format!("{}{}", built.name, if location == Location::Header { "Header" } else { "Value" });
        }
        command.params.push(built);
        position += 1;
    }
    // the first parameter takes pipeline input, as in the official module
    if let Some(first) = command.params.iter_mut().find(|p| p.position == Some(0)) {
        first.pipeline = true;
    }
    finish(&mut command);
    command
}

/// Header parameters worth a command parameter: Content-Type is the body's business.
fn operation_headers(operation: &Operation) -> impl Iterator<Item = &Param> {
    operation.header_params.iter().filter(|h| !h.name.eq_ignore_ascii_case("Content-Type"))
}

fn body_param(command: &ApiCommand, position: Option<u32>) -> CommandParam {
    let clash = |candidate: &str| command.params.iter().any(|p| p.name.eq_ignore_ascii_case(candidate));
    let name = match command.body_schema.as_deref().map(parameter_name) {
        Some(name) if !clash(&name) && !COMMON_API_PARAMETERS.contains(&name.as_str()) => name,
        _ => "Body".to_owned(),
    };
    CommandParam {
        name,
        wire: String::new(),
        location: Location::Body,
        ty: body_type(command.body_content_type.as_deref()),
        position,
        pipeline: false,
        by_property_name: true,
        mandatory: false,
        id_alias: false,
        enum_values: Vec::new(),
        legacy: false,
    }
}

fn compat_param(param: &CompatParam, wire: String, location: Location) -> CommandParam {
    let mut ty = CsType::from_compat(&param.ty);
    if location == Location::Path {
        ty = CsType::String;
    }
    CommandParam {
        name: param.name.clone(),
        wire,
        location,
        ty,
        position: param.position,
        pipeline: param.pipeline,
        by_property_name: param.pipeline_by_property_name,
        mandatory: location == Location::Path,
        id_alias: false,
        enum_values: param.validate_set.clone(),
        legacy: false,
    }
}

/// The official types were all strings; dates in the current spec become dates (so a DateTime is sent as
/// ISO 8601 instead of the culture's format), and enum values are offered for completion.
fn refine_from_facts(built: &mut CommandParam, facts: &Param) {
    if CsType::from_facts(facts) == CsType::Date && built.ty == CsType::String {
        built.ty = CsType::Date;
    }
    if built.enum_values.is_empty() {
        built.enum_values = facts.enum_values();
    }
}

fn facts_param(param: &Param, location: Location, position: Option<u32>) -> CommandParam {
    let ty = if location == Location::Path { CsType::String } else { CsType::from_facts(param) };
    CommandParam {
        name: parameter_name(&param.name),
        wire: param.name.clone(),
        location,
        ty: if ty == CsType::Object { CsType::String } else { ty },
        position,
        pipeline: false,
        by_property_name: true,
        mandatory: location == Location::Path,
        id_alias: false,
        enum_values: param.enum_values(),
        legacy: false,
    }
}

/// The last path variable names the resource the command acts on: it binds piped objects' `id`.
fn finish(command: &mut ApiCommand) {
    let has_id_param = command.params.iter().any(|p| p.name.eq_ignore_ascii_case("id"));
    if !has_id_param {
        if let Some(last) = command.params.iter_mut().rev().find(|p| p.location == Location::Path) {
            last.id_alias = true;
            last.by_property_name = true;
        }
    }
    command.params.sort_by_key(|p| (p.position.unwrap_or(u32::MAX), p.location != Location::Path));
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn build_models(facts: &Facts, compat: &Compat, schemas: &HashMap<&str, &Schema>) -> Vec<ModelCommand> {
    let mut models: BTreeMap<String, ModelCommand> = BTreeMap::new();
    for (name, command) in compat.commands.iter().filter(|(name, _)| name.starts_with("Initialize-Okta")) {
        let schema = name.trim_start_matches("Initialize-Okta").to_owned();
        let json = command.json_properties.clone().unwrap_or_default();
        let json_of = |name: &str| {
            json.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str()).map(str::to_owned)
        };
        let mut params: Vec<ModelParam> = command
            .params
            .iter()
            .map(|p| ModelParam {
                name: p.name.clone(),
                json: json_of(&p.name).unwrap_or_else(|| lower_first(&p.name)),
                ty: CsType::from_compat(&p.ty),
                position: p.position,
                by_property_name: p.pipeline_by_property_name,
                enum_values: p.validate_set.clone(),
            })
            .collect();
        // The official object carries these properties although its command has no parameter for them.
        // (Sorted: the map's own order depends on serde_json's features.)
        let mut extra: Vec<(&String, &serde_json::Value)> = json.iter().collect();
        extra.sort_by(|a, b| a.0.cmp(b.0));
        for (name, property) in extra {
            if !params.iter().any(|p| p.name.eq_ignore_ascii_case(name)) {
                params.push(ModelParam {
                    name: name.clone(),
                    json: property.as_str().unwrap_or_default().to_owned(),
                    ty: CsType::Object,
                    position: None,
                    by_property_name: true,
                    enum_values: Vec::new(),
                });
            }
        }
        models.insert(schema.clone(), ModelCommand { schema, params, official: true, in_spec: false });
    }
    for schema in facts.schemas.iter().filter(|s| s.is_object()) {
        let properties = all_properties(schema, schemas);
        // one command per schema name, whatever its case (the spec has both TempPassword and tempPassword)
        let name = upper_first(&schema.name);
        let model = models.entry(name.clone()).or_insert_with(|| ModelCommand {
            schema: name,
            params: Vec::new(),
            official: false,
            in_spec: true,
        });
        model.in_spec = true;
        let mut next = model.params.iter().filter_map(|p| p.position).max().map_or(0, |p| p + 1);
        for property in properties {
            if model.params.iter().any(|p| p.json == property.name) {
                continue;
            }
            let mut name = parameter_name(&property.name);
            if model.params.iter().any(|p| p.name.eq_ignore_ascii_case(&name)) {
                name = format!("Var{name}");
            }
            model.params.push(ModelParam {
                name,
                json: property.name.clone(),
                ty: if property.reference.is_some() && property.r#enum.is_empty() { CsType::Object } else { CsType::from_facts(&property) },
                position: Some(next),
                by_property_name: true,
                enum_values: property.enum_values(),
            });
            next += 1;
        }
    }
    models.into_values().collect()
}

/// Own properties after the inherited ones (parents first), each name once.
fn all_properties(schema: &Schema, schemas: &HashMap<&str, &Schema>) -> Vec<Param> {
    let mut out: Vec<Param> = Vec::new();
    for parent in &schema.inherits {
        if let Some(parent) = schemas.get(parent.as_str()) {
            for property in all_properties(parent, schemas) {
                if !out.iter().any(|p| p.name == property.name) {
                    out.push(property);
                }
            }
        }
    }
    for property in &schema.properties {
        if let Some(existing) = out.iter_mut().find(|p| p.name == property.name) {
            *existing = property.clone();
        } else {
            out.push(property.clone());
        }
    }
    out
}
