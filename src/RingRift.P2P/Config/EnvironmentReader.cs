namespace RingRift.P2P.Config;

/// <summary>
/// Reads raw variables from a dictionary, or from the process environment when none is given.
/// Values are trimmed; empty and whitespace-only values count as unset (null).
/// </summary>
internal sealed class EnvironmentReader(IReadOnlyDictionary<string, string?>? env)
{
    public string? Get(string name)
    {
        string? raw;
        if (env is null) raw = Environment.GetEnvironmentVariable(name);
        else if (!env.TryGetValue(name, out raw)) raw = null;
        return string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
    }
}
