using System.Text;
using RingRift.P2P.Config;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// An environment file as systemd's <c>EnvironmentFile=</c> reads it, for <c>config check --env-file</c>:
/// <c>NAME=VALUE</c> lines, blank lines and lines starting with <c>#</c> or <c>;</c> ignored, blanks around
/// the name and value trimmed, one pair of enclosing single or double quotes removed (in double
/// quotes <c>\"</c>, <c>\\</c> and <c>\$</c> are unescaped), a line ending in a backslash continued on the next.
/// A later line for the same name wins. A line systemd would ignore (no <c>=</c>, a bad name, <c>export</c>)
/// is a warning, with its line.
/// </summary>
public sealed class EnvFile
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly List<ConfigWarning> _warnings = [];

    private EnvFile(string path) => Path = path;

    /// <summary>The file's path as given.</summary>
    public string Path { get; }

    /// <summary>The variables the file sets, by name.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Lines systemd would ignore.</summary>
    public IReadOnlyList<ConfigWarning> Warnings => _warnings;

    /// <summary>The line that sets <paramref name="name"/> (the last one); null when the file does not set it.</summary>
    public int? LineOf(string name) => _lines.TryGetValue(name, out var line) ? line : null;

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="CliUsageException">The file cannot be read.</exception>
    public static EnvFile Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliUsageException($"--env-file {path}: cannot read it ({e.Message})");
        }
    }

    /// <summary>Parses the text of an environment file; <paramref name="path"/> names it in warnings.</summary>
    public static EnvFile Parse(string text, string path)
    {
        var file = new EnvFile(path);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i];
            while (line.EndsWith('\\') && i + 1 < lines.Length) line = line[..^1] + lines[++i];
            file.Add(line.Trim(), number);
        }
        return file;
    }

    /// <summary><paramref name="environment"/> with this file's variables laid over it (the file wins).</summary>
    public IReadOnlyDictionary<string, string?> Over(IReadOnlyDictionary<string, string?> environment)
    {
        var merged = new Dictionary<string, string?>(environment, StringComparer.Ordinal);
        foreach (var (name, value) in _values) merged[name] = value;
        return merged;
    }

    private void Add(string line, int number)
    {
        if (line.Length == 0 || line[0] is '#' or ';') return;
        var equals = line.IndexOf('=');
        if (equals < 0)
        {
            // The line is not echoed: it may be a secret pasted without its name.
            Warn(number, null, "not NAME=VALUE; systemd ignores this line");
            return;
        }
        var name = line[..equals].Trim();
        if (name.StartsWith("export ", StringComparison.Ordinal))
        {
            Warn(number, name, "systemd does not read 'export NAME=VALUE'; write NAME=VALUE (the line is ignored)");
            return;
        }
        if (!IsName(name))
        {
            Warn(number, null, $"'{Shorten(name)}' is not a variable name (letters, digits and '_', not starting with a digit); systemd ignores this line");
            return;
        }
        _values[name] = Unquote(line[(equals + 1)..].Trim());
        _lines[name] = number;
    }

    private void Warn(int line, string? key, string message) => _warnings.Add(new ConfigWarning(Path, line, key, message));

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'') return value[1..^1];
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"') return value;
        var inner = value[1..^1];
        var text = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length && inner[i + 1] is '"' or '\\' or '$') i++;
            text.Append(inner[i]);
        }
        return text.ToString();
    }

    private static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
