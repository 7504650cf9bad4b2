using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RingRift.P2P.Yaml;

/// <summary>What the YAML file readers (hosts file, jobs file) share: "not set" and how a node is named in an error.</summary>
public static class YamlNodes
{
    private static readonly TagName NullTag = new("tag:yaml.org,2002:null");

    /// <summary>Plain empty, <c>~</c> or <c>null</c> scalars (and <c>!!null</c>) mean "not set".</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode scalar &&
        (scalar.Tag == NullTag ||
         (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL"));

    /// <summary>The node as an error message names it: "a mapping", "a list", "nothing" or the quoted scalar.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an unsupported node",
    };

    /// <summary>1-based line of a mark, for messages.</summary>
    public static int LineOf(Mark mark) => (int)Math.Min(int.MaxValue, mark.Line);

    /// <summary>The one-line message of a file error: <c>file line N: key 'a.b': problem</c>.</summary>
    public static string FormatError(string sourceName, int? line, string? key, string problem)
    {
        var where = line is null ? sourceName : $"{sourceName} line {line}";
        return key is null ? $"{where}: {problem}" : $"{where}: key '{key}': {problem}";
    }
}
