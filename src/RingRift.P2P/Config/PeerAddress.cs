using System.Globalization;

namespace RingRift.P2P.Config;

/// <summary>Parses <c>host:port</c>; IPv6 hosts must be bracketed (<c>[::1]:8770</c>).</summary>
internal static class PeerAddress
{
    public static bool TryParse(string? text, out string host, out int port, out string reason)
    {
        host = "";
        port = 0;
        if (string.IsNullOrWhiteSpace(text)) { reason = "is empty"; return false; }
        var s = text.Trim();

        string hostPart, portPart;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close < 0) { reason = "has no closing ']'"; return false; }
            hostPart = s[1..close];
            if (!HostNames.IsIPv6(hostPart)) { reason = $"has '{hostPart}' in brackets, which is not an IPv6 address"; return false; }
            if (close + 1 >= s.Length || s[close + 1] != ':') { reason = "has no port"; return false; }
            portPart = s[(close + 2)..];
        }
        else
        {
            var colon = s.LastIndexOf(':');
            if (colon < 0) { reason = "has no port"; return false; }
            hostPart = s[..colon];
            portPart = s[(colon + 1)..];
            // An unbracketed IPv6 address is ambiguous: "::1:8770" could be a port or an address group.
            if (hostPart.Contains(':')) { reason = "has an IPv6 host without brackets"; return false; }
            if (hostPart.Length == 0) { reason = "has an empty host"; return false; }
            if (!HostNames.IsValid(hostPart)) { reason = $"has an invalid host '{hostPart}'"; return false; }
        }

        if (!int.TryParse(portPart, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
        {
            reason = $"has an invalid port '{portPart}'";
            return false;
        }

        host = hostPart;
        port = p;
        reason = "";
        return true;
    }
}
