using System.Globalization;
using RingRift.P2P.Json;
using RingRift.P2P.Membership;

namespace RingRift.P2P.Config;

/// <summary>
/// One validation rule per setting, shared by the environment reader (which reports the raw text)
/// and by <c>init</c> accessors (which report the typed value), so both give the same message.
/// </summary>
internal abstract class SettingRule(string variable, string allowed)
{
    public string Variable { get; } = variable;
    public string Allowed { get; } = allowed;

    /// <summary>The error for <paramref name="value"/>, naming <paramref name="variable"/> (an alias that supplied it) or this setting's variable.</summary>
    public P2PConfigException Fail(string value, string? variable = null) => new(variable ?? Variable, value, Allowed);

    protected static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An integer in [min, max].</summary>
internal sealed class IntRule(string variable, int min, int max)
    : SettingRule(variable, $"expected an integer from {min} to {max}")
{
    public int Min { get; } = min;
    public int Max { get; } = max;

    public int Check(int value, string? raw = null) =>
        value >= Min && value <= Max ? value : throw Fail(raw ?? Text(value));

    public int? Read(EnvironmentReader env)
    {
        var raw = env.Get(Variable);
        if (raw is null) return null;
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) throw Fail(raw);
        return Check(value, raw);
    }
}

/// <summary>A finite number above (or at) a minimum and at most a maximum, with an optional unit.</summary>
internal sealed class NumberRule(string variable, double min, bool minInclusive, double max, string? unit = null)
    : SettingRule(variable, Describe(min, minInclusive, max, unit))
{
    public double Check(double value, string? raw = null) =>
        double.IsFinite(value) && (minInclusive ? value >= min : value > min) && value <= max
            ? value
            : throw Fail(raw ?? Text(value));

    public double? Read(EnvironmentReader env)
    {
        var raw = env.Get(Variable);
        if (raw is null) return null;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) throw Fail(raw);
        return Check(value, raw);
    }

    private static string Describe(double min, bool minInclusive, double max, string? unit)
    {
        var what = unit is null ? "a number" : $"a number of {unit}";
        var lower = minInclusive ? $"at least {Text(min)}" : $"greater than {Text(min)}";
        return double.IsPositiveInfinity(max) ? $"expected {what} {lower}" : $"expected {what} {lower} and at most {Text(max)}";
    }
}

/// <summary>
/// A fraction in (0, 1], or the original orchestrator's percent form: a value above 1 and at most 100
/// is read as a percentage (80 → 0.8).
/// </summary>
internal sealed class FractionOrPercentRule(string variable)
    : SettingRule(variable, "expected a number greater than 0 and at most 1, or a percentage above 1 and at most 100")
{
    public double Check(double value, string? raw = null) =>
        double.IsFinite(value) && value > 0 && value <= 1 ? value : throw Fail(raw ?? Text(value));

    /// <summary>The fraction, and whether the variable gave it as a percentage.</summary>
    public (double Fraction, bool FromPercent)? Read(EnvironmentReader env)
    {
        var raw = env.Get(Variable);
        if (raw is null) return null;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)) throw Fail(raw);
        return value is > 1 and <= 100 ? (value / 100, true) : (Check(value, raw), false);
    }
}

/// <summary>A positive duration in seconds (decimals allowed) of at most a maximum.</summary>
internal sealed class SecondsRule(string variable, double maxSeconds)
    : SettingRule(variable, $"expected a number of seconds greater than 0 and at most {maxSeconds.ToString(CultureInfo.InvariantCulture)}")
{
    public TimeSpan Check(TimeSpan value, string? raw = null) =>
        value > TimeSpan.Zero && value.TotalSeconds <= maxSeconds ? value : throw Fail(raw ?? Text(value.TotalSeconds));

    public TimeSpan? Read(EnvironmentReader env)
    {
        var raw = env.Get(Variable);
        if (raw is null) return null;
        // Guard before converting: NaN, infinities and huge values cannot become a TimeSpan.
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || seconds <= 0 || seconds > maxSeconds)
        {
            throw Fail(raw, env.Source(Variable));
        }

        var value = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return value > TimeSpan.Zero ? value : throw Fail(raw, env.Source(Variable));
    }
}

/// <summary>true/false, 1/0, yes/no, on/off in any case.</summary>
internal sealed class BoolRule(string variable) : SettingRule(variable, "expected one of true, false, 1, 0, yes, no, on, off")
{
    public bool? Read(EnvironmentReader env)
    {
        var raw = env.Get(Variable);
        if (raw is null) return null;
        return TryParse(raw, out var value) ? value : throw Fail(raw);
    }

    public static bool TryParse(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on": value = true; return true;
            case "false" or "0" or "no" or "off": value = false; return true;
            default: value = false; return false;
        }
    }
}

/// <summary>An enum member by its lower-case JSON name (<see cref="System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute"/>).</summary>
internal sealed class EnumRule<T>(string variable) : SettingRule(variable, $"expected one of {string.Join(", ", WireNames.Of<T>().Keys)}")
    where T : struct, Enum
{
    public T Check(T value) => Enum.IsDefined(value) ? value : throw Fail(value.ToString());

    public T? Read(EnvironmentReader env)
    {
        var raw = env.Get(Variable);
        if (raw is null) return null;
        return WireNames.Of<T>().TryGetValue(raw, out var value) ? value : throw Fail(raw);
    }
}

/// <summary>A node id: 1–128 ASCII letters, digits, '-', '_' or '.'.</summary>
internal sealed class NodeIdRule(string variable) : SettingRule(variable, NodeIds.Allowed)
{
    public string? Check(string? value) => value is null || NodeIds.IsValid(value) ? value : throw Fail(value);

    public string? Read(EnvironmentReader env)
    {
        var raw = env.Get(Variable);
        return raw is null ? null : Check(raw);
    }
}

/// <summary>A host name or IP address (IPv6 may be bracketed).</summary>
internal sealed class HostRule(string variable) : SettingRule(variable, "expected a host name or IP address")
{
    public string? Check(string? value) => value is null || HostNames.IsValid(value) ? value : throw Fail(value);

    public string? Read(EnvironmentReader env)
    {
        var raw = env.Get(Variable);
        return raw is null || HostNames.IsValid(raw) ? raw : throw Fail(raw, env.Source(Variable));
    }
}

/// <summary>Free text such as a path: any non-blank value.</summary>
internal sealed class TextRule(string variable) : SettingRule(variable, "expected a non-empty value")
{
    public string? Check(string? value) => value is null || !string.IsNullOrWhiteSpace(value) ? value : throw Fail(value);

    public string? Read(EnvironmentReader env) => env.Get(Variable);
}
