using System.Globalization;

namespace RingRift.P2P.Node.Cli;

/// <summary>Clock times and durations as the CLI prints them (short, for 80-column tables).</summary>
public static class CliTime
{
    /// <summary><c>HH:mm:ss</c> in <paramref name="zone"/>.</summary>
    public static string Clock(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary><c>HH:mm:ss</c> of a Unix time in seconds.</summary>
    public static string Clock(double unixSeconds, TimeZoneInfo zone) =>
        Clock(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(unixSeconds * 1000)), zone);

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> of a Unix time in seconds, in <paramref name="zone"/>.</summary>
    public static string Stamp(double unixSeconds, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(unixSeconds * 1000)), zone)
            .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A duration: <c>0.8 s</c>, <c>42 s</c>, <c>3m05s</c>, <c>2h03m</c>, <c>4d02h</c>; negative counts as 0.</summary>
    public static string Duration(double seconds)
    {
        seconds = Math.Max(0, seconds);
        if (seconds < 10) return seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        var whole = (long)seconds;
        if (whole < 60) return $"{whole} s";
        if (whole < 3600) return $"{whole / 60}m{whole % 60:00}s";
        if (whole < 86400) return $"{whole / 3600}h{whole % 3600 / 60:00}m";
        return $"{whole / 86400}d{whole % 86400 / 3600:00}h";
    }
}

/// <summary>What a rendering needs besides the JSON: the time now (for ages) and the zone clock times are shown in.</summary>
public sealed record ViewContext(DateTimeOffset Now, TimeZoneInfo Zone)
{
    public static ViewContext From(TimeProvider time) => new(time.GetUtcNow(), time.LocalTimeZone);

    /// <summary>Now as Unix seconds (the API's time stamps).</summary>
    public double UnixNow => Now.ToUnixTimeMilliseconds() / 1000.0;
}
