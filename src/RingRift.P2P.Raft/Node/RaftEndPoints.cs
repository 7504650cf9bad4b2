using System.Globalization;
using System.Net;

namespace RingRift.P2P.Raft.Node;

/// <summary>Parsing and formatting of Raft member addresses ("host:port", "[v6]:port").</summary>
public static class RaftEndPoints
{
    /// <summary>
    /// Parses "host:port". An IP literal becomes an <see cref="IPEndPoint"/>, "localhost" becomes
    /// 127.0.0.1, any other host a <see cref="DnsEndPoint"/>. Throws <see cref="FormatException"/>
    /// naming <paramref name="what"/> and the text when it is not host:port with a port 1–65535.
    /// </summary>
    public static EndPoint Parse(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var colon = trimmed.LastIndexOf(':');
        if (colon <= 0 || colon == trimmed.Length - 1)
            throw new FormatException($"{what} must be host:port, got '{text}'");
        var host = trimmed[..colon].Trim('[', ']');
        var portText = trimmed[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new FormatException($"{what} '{text}' has port '{portText}'; a port is 1-65535");
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new FormatException($"{what} '{text}' has an empty or malformed host");
        if (IPAddress.TryParse(host, out var ip))
            return new IPEndPoint(ip, port);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return new IPEndPoint(IPAddress.Loopback, port);
        return new DnsEndPoint(host, port);
    }

    /// <summary>Parses a comma-separated list, dropping duplicates; empty text gives an empty list.</summary>
    public static IReadOnlyList<EndPoint> ParseList(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var result = new List<EndPoint>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var endPoint = Parse(part, what);
            if (!result.Any(e => Same(e, endPoint))) result.Add(endPoint);
        }
        return result;
    }

    /// <summary>"host:port" ("[v6]:port" for IPv6).</summary>
    public static string Format(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip when ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 => $"[{ip.Address}]:{ip.Port}",
        IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endPoint.ToString() ?? "",
    };

    /// <summary>Whether two addresses name the same member (host compared case-insensitively).</summary>
    public static bool Same(EndPoint a, EndPoint b) =>
        string.Equals(Format(a), Format(b), StringComparison.OrdinalIgnoreCase);
}
