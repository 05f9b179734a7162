//! The C# cmdlets: one class per command, each only its parameters and its operation as data, over the
//! hand-written base classes in `powershell/glue/Commands` (OktaApiCmdlet, OktaModelCmdlet,
//! OktaJsonConverterCmdlet).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::naming::class_name;
use crate::surface::{ApiCommand, CsType, Location, ModelCommand, Surface};

use super::{HEADER_CS, csharp_string};

pub fn type_of(ty: CsType, model: bool) -> &'static str {
    match ty {
        CsType::String => "string?",
        CsType::Date if model => "System.DateTime?",
        CsType::Date => "object?",
        CsType::Int => "int?",
        CsType::Long => "long?",
        CsType::Double => "double?",
        CsType::Bool => "bool?",
        CsType::StringArray => "string[]?",
        CsType::Object | CsType::File => "object?",
        CsType::ObjectArray => "object[]?",
        CsType::Switch => "SwitchParameter",
    }
}


/// Id parameters whose values Tab completes from the org by name or login (powershell/glue/Commands/OktaIdCompleter.cs
/// knows each one's list endpoint).
const ORG_COMPLETED_IDS: &[&str] = &["UserId", "GroupId", "AppId", "AuthServerId", "IdpId", "BrandId", "InlineHookId"];

fn location(location: Location) -> &'static str {
    match location {
        Location::Path => "ParameterIn.Path",
        Location::Query => "ParameterIn.Query",
        Location::Header => "ParameterIn.Header",
        Location::Body => "ParameterIn.Body",
    }
}

/// One file per API tag: `Api/<Tag>.g.cs`.
pub fn api_files(surface: &Surface) -> BTreeMap<String, String> {
    let mut by_tag: BTreeMap<String, Vec<&ApiCommand>> = BTreeMap::new();
    for command in &surface.api {
        by_tag.entry(command.tag.replace([' ', '-'], "")).or_default().push(command);
    }
    by_tag
        .into_iter()
        .map(|(tag, commands)| {
            let mut out = String::new();
            out.push_str(HEADER_CS);
            out.push_str("using System.Management.Automation;\nusing Okta.PowerShell.Commands;\n\nnamespace Okta.PowerShell.Generated;\n");
            for command in commands {
                api_class(&mut out, command);
            }
            (format!("powershell/Generated/Api/{tag}.g.cs"), out)
        })
        .collect()
}

fn api_class(out: &mut String, command: &ApiCommand) {
    let (verb, noun) = command.name.split_once('-').expect("command names are Verb-Noun");
    let request_set = command.has_path_params();
    let _ = writeln!(out, "\n/// <summary>{} {} ({})</summary>", command.method, command.path, command.operation_id);
    let mut attributes = format!("[Cmdlet(\"{verb}\", \"{noun}\"");
    if request_set {
        attributes.push_str(", DefaultParameterSetName = \"Request\"");
    }
    if command.writes() {
        attributes.push_str(", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium");
    }
    attributes.push_str(")]");
    let _ = writeln!(out, "{attributes}");
    if !command.aliases.is_empty() {
        let list: Vec<String> = command.aliases.iter().map(|a| csharp_string(a)).collect();
        let _ = writeln!(out, "[Alias({})]", list.join(", "));
    }
    let _ = writeln!(out, "[OutputType(typeof(PSObject))]");
    let class = class_name(&command.name);
    let _ = writeln!(out, "public sealed partial class {class} : OktaApiCmdlet\n{{");
    let _ = write!(
        out,
        "    private static readonly OktaOperation Definition = new({}, {}, {}",
        csharp_string(&command.operation_id),
        csharp_string(&command.method),
        csharp_string(&command.path)
    );
    for param in &command.params {
        let _ = write!(out, ",\n        new OktaParameter({}, {}, {})", csharp_string(&param.name), location(param.location), csharp_string(&param.wire));
    }
    out.push_str(")\n    {\n");
    let mut init = Vec::new();
    if let Some(content_type) = &command.body_content_type {
        init.push(format!("BodyContentType = {}", csharp_string(content_type)));
    }
    if let Some(returns) = &command.returns {
        if let Some(schema) = &returns.schema {
            init.push(format!("Returns = {}", csharp_string(schema)));
        }
        if returns.content_type != "application/json" {
            init.push(format!("ResponseContentType = {}", csharp_string(&returns.content_type)));
        }
    }
    if command.paginated {
        init.push("Paginated = true".into());
    }
    if command.endless_next_link {
        init.push("EndlessNextLink = true".into());
    }
    if let Some(max) = command.limit_max {
        init.push(format!("LimitMax = {max}"));
    }
    for line in init {
        let _ = writeln!(out, "        {line},");
    }
    out.push_str("    };\n    protected override OktaOperation OperationDefinition => Definition;\n");

    for param in &command.params {
        let mut args = Vec::new();
        if request_set && param.location == Location::Path {
            args.push("ParameterSetName = \"Request\"".to_owned());
        }
        if param.mandatory {
            args.push("Mandatory = true".into());
        }
        if let Some(position) = param.position {
            args.push(format!("Position = {position}"));
        }
        if param.pipeline {
            args.push("ValueFromPipeline = true".into());
        }
        if param.by_property_name {
            args.push("ValueFromPipelineByPropertyName = true".into());
        }
        let _ = writeln!(out, "\n    [Parameter({})]", args.join(", "));
        if param.id_alias {
            out.push_str("    [Alias(\"id\")]\n");
        }
        if !param.enum_values.is_empty() {
            out.push_str("    [ArgumentCompleter(typeof(OktaEnumCompleter))]\n");
        } else if ORG_COMPLETED_IDS.contains(&param.name.as_str()) {
            out.push_str("    [ArgumentCompleter(typeof(OktaIdCompleter))]\n");
        }
        let _ = writeln!(out, "    public {} {} {{ get; set; }}", type_of(param.ty, false), param.name);
    }
    if request_set {
        out.push_str("\n    [Parameter(ParameterSetName = \"Uri\", Mandatory = true, ValueFromPipelineByPropertyName = true)]\n");
    } else {
        out.push_str("\n    [Parameter(ValueFromPipelineByPropertyName = true)]\n");
    }
    out.push_str("    public string? Uri { get; set; }\n");
    if command.paginated && !command.params.iter().any(|p| p.name.eq_ignore_ascii_case("All")) {
        out.push_str("\n    [Parameter]\n    public SwitchParameter All { get; set; }\n");
    }
    if command.endless_next_link {
        // a list whose next link never ends can be tailed: -Follow polls it until Ctrl+C
        out.push_str("\n    [Parameter]\n    public SwitchParameter Follow { get; set; }\n");
        out.push_str("\n    [Parameter]\n    [ValidateRange(1, 86400)]\n    public int PollInterval { get; set; } = 60;\n");
        out.push_str("\n    protected override System.TimeSpan? FollowInterval => Follow ? System.TimeSpan.FromSeconds(PollInterval) : null;\n");
    }
    out.push_str("\n    [Parameter]\n    public SwitchParameter WithHttpInfo { get; set; }\n");
    out.push_str("\n    [Parameter]\n    public SwitchParameter IncludeNullValues { get; set; }\n");
    out.push_str("}\n");
}

/// Builders and converters, one file per first letter of the schema: `Models/<Letter>.g.cs`.
pub fn model_files(surface: &Surface) -> BTreeMap<String, String> {
    let mut by_letter: BTreeMap<char, Vec<&ModelCommand>> = BTreeMap::new();
    for model in &surface.models {
        by_letter.entry(model.schema.chars().next().unwrap_or('_').to_ascii_uppercase()).or_default().push(model);
    }
    by_letter
        .into_iter()
        .map(|(letter, models)| {
            let mut out = String::new();
            out.push_str(HEADER_CS);
            out.push_str("using System.Management.Automation;\nusing Okta.PowerShell.Commands;\n\nnamespace Okta.PowerShell.Generated;\n");
            for model in models {
                model_classes(&mut out, model);
            }
            (format!("powershell/Generated/Models/{letter}.g.cs"), out)
        })
        .collect()
}

fn model_classes(out: &mut String, model: &ModelCommand) {
    let schema = &model.schema;
    let builder = class_name(&model.builder_name());
    let _ = writeln!(out, "\n[Cmdlet(\"Initialize\", \"Okta{schema}\")]\n[OutputType(typeof(PSObject))]");
    let _ = writeln!(out, "public sealed partial class {builder} : OktaModelCmdlet\n{{");
    let _ = writeln!(out, "    internal static readonly OktaModel Definition = new({}", csharp_string(schema));
    for param in &model.params {
        let _ = write!(out, ",\n        new OktaProperty({}, {})", csharp_string(&param.name), csharp_string(&param.json));
    }
    out.push_str(");\n    protected override OktaModel ModelDefinition => Definition;\n");
    for param in &model.params {
        let mut args = Vec::new();
        if let Some(position) = param.position {
            args.push(format!("Position = {position}"));
        }
        if param.by_property_name {
            args.push("ValueFromPipelineByPropertyName = true".into());
        }
        let _ = writeln!(out, "\n    [Parameter({})]", args.join(", "));
        if !param.enum_values.is_empty() {
            out.push_str("    [ArgumentCompleter(typeof(OktaEnumCompleter))]\n");
        }
        let _ = writeln!(out, "    public {} {} {{ get; set; }}", type_of(param.ty, true), param.name);
    }
    out.push_str("}\n");
}

/// The converters: one cmdlet (ConvertFrom-OktaJson, hand-written) that every `ConvertFrom-OktaJsonTo<Schema>`
/// name is an alias of (1,375 cmdlets would cost import time; aliases cost almost nothing), and the lookup from
/// a schema name to its model, by a switch so that no builder class is initialised before it is needed.
pub fn converters_file(surface: &Surface) -> String {
    let mut out = String::new();
    out.push_str(HEADER_CS);
    out.push_str("using System.Management.Automation;\nusing Okta.PowerShell.Generated;\n\nnamespace Okta.PowerShell.Commands;\n\n[Alias(");
    let aliases: Vec<String> = surface.models.iter().map(|m| csharp_string(&m.converter_name())).collect();
    out.push_str(&aliases.join(",\n    "));
    out.push_str(")]\npublic sealed partial class ConvertFromOktaJsonCommand\n{\n}\n\ninternal static class OktaModels\n{\n");
    out.push_str("    /// <summary>The model of a schema (case-insensitive), or null.</summary>\n    internal static OktaModel? Find(string schema) => schema.ToLowerInvariant() switch\n    {\n");
    for model in &surface.models {
        let _ = writeln!(out, "        {} => {}.Definition,", csharp_string(&model.schema.to_ascii_lowercase()), class_name(&model.builder_name()));
    }
    out.push_str("        _ => null,\n    };\n}\n");
    out
}

/// Discriminators, parents and enum completions: the data the base classes look up at run time.
pub fn catalog_file(surface: &Surface) -> String {
    let mut out = String::new();
    out.push_str(HEADER_CS);
    out.push_str("using System.Collections.Generic;\n\nnamespace Okta.PowerShell.Commands;\n\n");
    out.push_str("internal static partial class OktaCatalog\n{\n");
    out.push_str(&format!("    internal const string SpecVersion = {};\n\n", csharp_string(&surface.spec_version)));
    out.push_str("    /// <summary>Schema → (discriminating property, value → sub-schema).</summary>\n");
    out.push_str("    internal static readonly Dictionary<string, (string Property, Dictionary<string, string> Map)> Discriminators = new()\n    {\n");
    for (schema, (property, mapping)) in &surface.discriminators {
        let pairs: Vec<String> =
            mapping.iter().map(|(k, v)| format!("[{}] = {}", csharp_string(k), csharp_string(v))).collect();
        let _ = writeln!(out, "        [{}] = ({}, new() {{ {} }}),", csharp_string(schema), csharp_string(property), pairs.join(", "));
    }
    out.push_str("    };\n\n    /// <summary>Schema → the schemas it extends, nearest first.</summary>\n");
    out.push_str("    internal static readonly Dictionary<string, string[]> Parents = new()\n    {\n");
    for (schema, parents) in &surface.parents {
        let list: Vec<String> = parents.iter().map(|p| csharp_string(p)).collect();
        let _ = writeln!(out, "        [{}] = new[] {{ {} }},", csharp_string(schema), list.join(", "));
    }
    out.push_str("    };\n\n    /// <summary>\"Command|Parameter\" → the values Tab completion offers (not enforced: Okta adds values).</summary>\n");
    out.push_str("    internal static readonly Dictionary<string, string[]> EnumValues = new(System.StringComparer.OrdinalIgnoreCase)\n    {\n");
    let mut entries: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for command in &surface.api {
        for param in command.params.iter().filter(|p| !p.enum_values.is_empty()) {
            entries.insert(format!("{}|{}", command.name, param.name), param.enum_values.clone());
        }
    }
    for model in &surface.models {
        for param in model.params.iter().filter(|p| !p.enum_values.is_empty()) {
            entries.insert(format!("{}|{}", model.builder_name(), param.name), param.enum_values.clone());
        }
    }
    for (key, values) in entries {
        let list: Vec<String> = values.iter().map(|v| csharp_string(v)).collect();
        let _ = writeln!(out, "        [{}] = new[] {{ {} }},", csharp_string(&key), list.join(", "));
    }
    out.push_str("    };\n}\n");
    out
}
