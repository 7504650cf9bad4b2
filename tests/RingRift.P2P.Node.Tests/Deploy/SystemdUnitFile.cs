namespace RingRift.P2P.Node.Tests.Deploy;

/// <summary>
/// A systemd unit file read the way systemd reads it, as far as the tests need: sections, then
/// <c>Key=value</c> lines (a key may repeat, e.g. <c>Environment=</c>); blank lines and lines starting
/// with <c>#</c> or <c>;</c> are skipped. No line continuations (the unit uses none).
/// </summary>
public sealed class SystemdUnitFile
{
    private readonly List<(string Section, string Key, string Value)> _entries = [];

    private SystemdUnitFile(string text)
    {
        var section = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new FormatException($"not a Key=value line in section [{section}]: {line}");
            _entries.Add((section, line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }
    }

    /// <summary>The unit deploy/systemd/ringrift-p2p.service as it is in the repository.</summary>
    public static string RepoPath => RepoFiles.Path("deploy", "systemd", "ringrift-p2p.service");

    public static SystemdUnitFile Load(string path) => new(File.ReadAllText(path));

    /// <summary>Every value of <paramref name="key"/> in <paramref name="section"/>, in order.</summary>
    public IReadOnlyList<string> All(string section, string key) =>
        _entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value).ToList();

    /// <summary>The value of a key set once; fails naming it when it is missing or set twice.</summary>
    public string Single(string section, string key)
    {
        var values = All(section, key);
        return values.Count == 1 ? values[0] : throw new InvalidOperationException($"[{section}] {key}= is set {values.Count} times, expected once");
    }

    /// <summary>The value of a key set at most once, or null.</summary>
    public string? Get(string section, string key) => All(section, key) switch
    {
        [] => null,
        [var one] => one,
        var many => throw new InvalidOperationException($"[{section}] {key}= is set {many.Count} times"),
    };

    /// <summary>A systemd time span (<c>30s</c>, <c>1min 30s</c>, <c>500ms</c>, a bare number of seconds).</summary>
    public static TimeSpan ParseTimeSpan(string value)
    {
        var total = TimeSpan.Zero;
        foreach (var part in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var digits = new string(part.TakeWhile(c => char.IsDigit(c) || c == '.').ToArray());
            var unit = part[digits.Length..];
            var n = double.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            total += unit switch
            {
                "" or "s" or "sec" => TimeSpan.FromSeconds(n),
                "ms" or "msec" => TimeSpan.FromMilliseconds(n),
                "m" or "min" => TimeSpan.FromMinutes(n),
                _ => throw new FormatException($"unit '{unit}' of '{value}' not understood here"),
            };
        }
        return total;
    }
}
