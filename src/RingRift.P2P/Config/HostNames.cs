using System.Net;
using System.Net.Sockets;

namespace RingRift.P2P.Config;

/// <summary>Host-name checks shared by peer addresses and bind/advertise settings.</summary>
internal static class HostNames
{
    /// <summary>A DNS name, an IPv4 address, or an IPv6 address with or without brackets.</summary>
    public static bool IsValid(string host)
    {
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']') return IsIPv6(host[1..^1]);
        return Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }

    public static bool IsIPv6(string text) =>
        IPAddress.TryParse(text, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;
}
