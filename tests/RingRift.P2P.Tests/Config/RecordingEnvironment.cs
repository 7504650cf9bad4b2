using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace RingRift.P2P.Tests.Config;

/// <summary>An environment dictionary that remembers every variable name asked for.</summary>
internal sealed class RecordingEnvironment(IReadOnlyDictionary<string, string?> values) : IReadOnlyDictionary<string, string?>
{
    public HashSet<string> Requested { get; } = new(StringComparer.Ordinal);

    public string? this[string key] { get { Requested.Add(key); return values[key]; } }
    public IEnumerable<string> Keys => values.Keys;
    public IEnumerable<string?> Values => values.Values;
    public int Count => values.Count;
    public bool ContainsKey(string key) { Requested.Add(key); return values.ContainsKey(key); }
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value) { Requested.Add(key); return values.TryGetValue(key, out value); }
    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
