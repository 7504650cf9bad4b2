using System.Globalization;
using RingRift.P2P.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static RingRift.P2P.Yaml.YamlNodes;

namespace RingRift.P2P.Yaml;

/// <summary>
/// The reading kit every YAML configuration file shares (hosts file, jobs file): loading one
/// document with syntax errors at the line to fix (an unknown alias at its first use, tab
/// indentation at the tabbed line), plain keys, scalar readers with one wording of what is allowed,
/// merge keys, and errors of the file's own exception type naming the line and the dotted key.
/// </summary>
/// <remarks>
/// Errors go to <see cref="Problems"/>: thrown at the first (start-up), or, when it collects
/// (<c>config check</c>), recorded while the reader goes on with the next key, wrapping each key's read in
/// <c>try { … } catch (TException e) when (Collected(e)) { }</c>. A syntax error ends the file either way.
/// </remarks>
/// <typeparam name="TException">The file's exception (<see cref="YamlFileException"/>).</typeparam>
public abstract class YamlFileReader<TException>(string sourceName, ConfigProblems? problems = null) where TException : YamlFileException
{
    /// <summary>The file path or name errors name.</summary>
    protected string SourceName { get; } = sourceName;

    /// <summary>Where errors and warnings go (<see cref="ConfigProblems.ThrowFirst"/> unless given).</summary>
    protected ConfigProblems Problems { get; } = problems ?? ConfigProblems.ThrowFirst;

    /// <summary>For exception filters: true when <paramref name="error"/> was recorded and the walk goes on; false when it is to be thrown.</summary>
    protected bool Collected(TException error) => Problems.Report(error);

    /// <summary>Records a warning at <paramref name="node"/>'s line (kept only when collecting).</summary>
    protected void Warn(YamlNode node, string? key, string message) => Problems.Warn(new ConfigWarning(SourceName, LineOf(node.Start), key, message));

    /// <summary>The file's exception for a problem at <paramref name="line"/> (null: the whole file) and <paramref name="key"/>.</summary>
    protected abstract TException CreateError(int? line, string? key, string problem, Exception? inner = null);

    /// <summary>The one document's root node; null for an empty file or a null document.</summary>
    /// <exception cref="YamlFileException">Invalid YAML, or more than one document.</exception>
    protected YamlNode? LoadRoot(string yaml)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (AnchorNotFoundException e)
        {
            throw CreateError(AliasLine(yaml, e), null, $"invalid YAML: {e.Message.TrimEnd('.')}", e);
        }
        catch (YamlException e)
        {
            throw CreateError(SyntaxErrorLine(yaml, e), null, $"invalid YAML: {e.Message.TrimEnd('.')}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 18 fails this way on some unclosed flow collections; the scanner knows where it stopped.
            throw CreateError(LineOf(scanner.CurrentPosition), null,
                "invalid YAML: the document ends inside a structure (is a '[', '{' or quote left open?)", e);
        }
        if (stream.Documents.Count == 0) return null;
        if (stream.Documents.Count > 1) throw Error(stream.Documents[1].RootNode, null, "expected one YAML document, found more");
        var root = stream.Documents[0].RootNode;
        return IsNull(root) ? null : root;
    }

    /// <summary>The file's error at <paramref name="node"/>'s line.</summary>
    protected TException Error(YamlNode node, string? key, string problem) => CreateError(LineOf(node.Start), key, problem);

    /// <summary>A mapping key's name; anything but a plain scalar is an error under <paramref name="parent"/>.</summary>
    protected string KeyName(YamlNode keyNode, string parent) =>
        keyNode is YamlScalarNode { Value: { } name } && !IsNull(keyNode)
            ? name
            : throw Error(keyNode, parent, $"expected a plain key, got {Describe(keyNode)}");

    /// <summary>A trimmed string; null when not set or blank.</summary>
    protected string? Text(YamlNode node, string key)
    {
        if (IsNull(node)) return null;
        if (node is not YamlScalarNode scalar) throw Error(node, key, $"expected a string, got {Describe(node)}");
        var text = scalar.Value?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>true / false in the forms the environment accepts (see <see cref="BoolRule"/>); null when not set.</summary>
    protected bool? Bool(YamlNode node, string key)
    {
        if (IsNull(node)) return null;
        var raw = Scalar(node, key, "expected true or false");
        return BoolRule.TryParse(raw, out var value) ? value : throw Error(node, key, $"expected true or false, got '{raw}'");
    }

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>; null when not set.</summary>
    protected int? Int(YamlNode node, string key, int min, int max, string? allowed = null)
    {
        if (IsNull(node)) return null;
        allowed ??= $"expected an integer from {min} to {max}";
        var raw = Scalar(node, key, allowed);
        if (int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        throw Error(node, key, $"{allowed}, got '{raw}'");
    }

    /// <summary>A finite number in (min, max], or [min, max] when <paramref name="minInclusive"/>; null when not set.</summary>
    protected double? Number(YamlNode node, string key, double min, double max, bool minInclusive, string? allowed = null)
    {
        if (IsNull(node)) return null;
        allowed ??= minInclusive
            ? $"expected a number from {Invariant(min)} to {Invariant(max)}"
            : $"expected a number greater than {Invariant(min)} and at most {Invariant(max)}";
        var raw = Scalar(node, key, allowed);
        if (double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            && (minInclusive ? value >= min : value > min) && value <= max)
        {
            return value;
        }
        throw Error(node, key, $"{allowed}, got '{raw}'");
    }

    /// <summary>
    /// A list of scalars (nothing: an empty list), each turned into a value by <paramref name="parse"/>;
    /// a <see cref="FormatException"/> from it becomes this file's error at that item.
    /// </summary>
    protected List<T> ScalarList<T>(YamlNode node, string key, string what, Func<string?, T> parse)
    {
        if (IsNull(node)) return [];
        if (node is not YamlSequenceNode items) throw Error(node, key, $"expected a list of {what}, got {Describe(node)}");
        var values = new List<T>();
        foreach (var item in items.Children)
        {
            try
            {
                var text = Text(item, key);
                try { values.Add(parse(text)); }
                catch (FormatException e) { throw Error(item, key, e.Message); }
            }
            catch (TException e) when (Collected(e)) { }
        }
        return values;
    }

    /// <summary>
    /// The mapping's pairs with YAML merge keys (<c>&lt;&lt;: *defaults</c>, or a list of aliases) expanded:
    /// merged pairs come first so the mapping's own keys, applied later, override them.
    /// </summary>
    protected IEnumerable<KeyValuePair<YamlNode, YamlNode>> WithMergedKeys(YamlMappingNode map, string parent)
    {
        var own = new List<KeyValuePair<YamlNode, YamlNode>>();
        var merged = new List<KeyValuePair<YamlNode, YamlNode>>();
        foreach (var pair in map.Children)
        {
            if (pair.Key is not YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain }) { own.Add(pair); continue; }
            var sources = pair.Value switch
            {
                YamlMappingNode single => [single],
                YamlSequenceNode list when list.Children.All(n => n is YamlMappingNode) => list.Children.Cast<YamlMappingNode>().ToList(),
                _ => throw Error(pair.Value, $"{parent}.<<", $"expected a mapping or a list of mappings to merge, got {Describe(pair.Value)}"),
            };
            // YAML merge: earlier sources win over later ones, so add later sources first.
            for (var i = sources.Count - 1; i >= 0; i--) merged.AddRange(sources[i].Children);
        }
        return merged.Concat(own);
    }

    private string Scalar(YamlNode node, string key, string allowed) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(node, key, $"{allowed}, got {Describe(node)}");

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>YamlDotNet reports an unknown alias at line 1; the first line that uses <c>*name</c> is where it is.</summary>
    private static int AliasLine(string yaml, AnchorNotFoundException e)
    {
        var first = e.Message.IndexOf('\'');
        var last = e.Message.LastIndexOf('\'');
        if (first < 0 || last <= first) return LineOf(e.Start);
        var alias = "*" + e.Message[(first + 1)..last];
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(alias, StringComparison.Ordinal)) return i + 1;
        }
        return LineOf(e.Start);
    }

    /// <summary>
    /// The line YamlDotNet reports, except for tab indentation, which it reports at the start of the
    /// enclosing mapping: then the first later line indented with a tab is the one to fix.
    /// </summary>
    private static int SyntaxErrorLine(string yaml, YamlException e)
    {
        var line = LineOf(e.Start);
        if (!e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase)) return line;
        var lines = yaml.Split('\n');
        for (var i = Math.Max(0, line - 1); i < lines.Length; i++)
        {
            var indent = lines[i].AsSpan()[..(lines[i].Length - lines[i].TrimStart().Length)];
            if (indent.Contains('\t') && lines[i].Trim().Length > 0) return i + 1;
        }
        return line;
    }
}
