namespace RingRift.P2P.Config;

/// <summary>
/// Reads raw variables from a dictionary, or from the process environment when none is given.
/// Values are trimmed; empty and whitespace-only values count as unset (null). A variable with an
/// alias (the original orchestrator's name for the same setting, see <see cref="P2PEnvironmentVariables.Aliases"/>) is read
/// from either name; both set to different values is an error naming both.
/// </summary>
internal sealed class EnvironmentReader(IReadOnlyDictionary<string, string?>? env)
{
    /// <exception cref="P2PConfigException">The variable and its alias are both set, to different values.</exception>
    public string? Get(string name)
    {
        var value = Raw(name);
        if (!P2PEnvironmentVariables.Aliases.TryGetValue(name, out var alias) || Raw(alias) is not { } aliased) return value;
        if (value is null || value == aliased) return aliased;
        throw new P2PConfigException(name, value, $"its alias {alias} is also set, to '{aliased}': set only one of the two");
    }

    /// <summary>The variable that supplied <paramref name="name"/>'s value: its alias when only the alias is set.</summary>
    public string Source(string name) =>
        Raw(name) is null && P2PEnvironmentVariables.Aliases.TryGetValue(name, out var alias) && Raw(alias) is not null ? alias : name;

    /// <summary>The variable that sets <paramref name="name"/> (it, or its alias when only that is set); null when neither is.</summary>
    public string? SetBy(string name)
    {
        if (Raw(name) is not null) return name;
        return P2PEnvironmentVariables.Aliases.TryGetValue(name, out var alias) && Raw(alias) is not null ? alias : null;
    }

    private string? Raw(string name)
    {
        string? raw;
        if (env is null) raw = Environment.GetEnvironmentVariable(name);
        else if (!env.TryGetValue(name, out raw)) raw = null;
        return string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
    }
}
