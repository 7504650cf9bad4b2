using System.Buffers.Binary;
using System.Text;
using RingRift.P2P.Membership;

namespace RingRift.P2P.Swim;

/// <summary>
/// What a RingRift node gossips about itself in its SWIM Alive metadata: where its HTTP API answers.
/// In <c>swim</c> membership mode this is how peers learn each other's HTTP endpoints (election,
/// replication and forwarding stay on HTTP) without any heartbeat.
/// </summary>
/// <remarks>
/// <para>Wire layout (big-endian), <see cref="CurrentVersion"/> = 1:
/// <c>version (1 byte) ‖ http_port (u16) ‖ host_length (1 byte) ‖ host (UTF-8, 0..255 bytes)</c>.
/// An empty host means "my SWIM address": the receiver uses the address the member gossips for SWIM,
/// which is the node's advertised IP. At most 4 + 255 = 259 bytes, under the 512-byte metadata limit.</para>
/// <para>Forward compatible: a decoder accepts any version ≥ 1 and ignores bytes after the fields it
/// knows, so a later version may append fields. Version 0, truncated fields, a port outside 1..65535,
/// or a host that is not valid UTF-8 / not a valid host name make the metadata unreadable (null).</para>
/// </remarks>
/// <param name="HttpHost">Host or IP peers should use for the HTTP API; null to use the SWIM address.</param>
/// <param name="HttpPort">HTTP API port, 1..65535.</param>
public sealed record SwimNodeMeta(string? HttpHost, int HttpPort)
{
    /// <summary>The version this build writes: 1.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>Longest host in bytes: 255 (one length byte).</summary>
    public const int MaxHostBytes = 255;

    /// <summary>The metadata bytes for a SwimNode's own entry.</summary>
    /// <exception cref="ArgumentOutOfRangeException">HttpPort is outside 1..65535.</exception>
    /// <exception cref="ArgumentException">HttpHost is longer than 255 UTF-8 bytes.</exception>
    public byte[] Encode()
    {
        if (HttpPort is < 1 or > 65_535)
        {
            throw new ArgumentOutOfRangeException(nameof(HttpPort), HttpPort, $"HttpPort is {HttpPort}; allowed: 1 to 65535.");
        }

        byte[] host = string.IsNullOrEmpty(HttpHost) ? [] : Encoding.UTF8.GetBytes(HttpHost);
        if (host.Length > MaxHostBytes)
        {
            throw new ArgumentException($"HttpHost is {host.Length} UTF-8 bytes; allowed: at most {MaxHostBytes}.", nameof(HttpHost));
        }

        var bytes = new byte[4 + host.Length];
        bytes[0] = CurrentVersion;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(1, 2), (ushort)HttpPort);
        bytes[3] = (byte)host.Length;
        host.CopyTo(bytes, 4);
        return bytes;
    }

    /// <summary>Reads metadata gossiped by a peer; null when it is empty or unreadable (never throws).</summary>
    public static SwimNodeMeta? TryDecode(ReadOnlySpan<byte> meta)
    {
        if (meta.Length < 4 || meta[0] == 0)
        {
            return null; // empty (a node without metadata), too short, or version 0
        }

        int port = BinaryPrimitives.ReadUInt16BigEndian(meta.Slice(1, 2));
        int hostLength = meta[3];
        if (port == 0 || meta.Length < 4 + hostLength)
        {
            return null; // port 0 is not an HTTP port; the host is cut short
        }

        if (hostLength == 0)
        {
            return new SwimNodeMeta(null, port);
        }

        string host;
        try
        {
            host = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(meta.Slice(4, hostLength));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return Uri.CheckHostName(host) != UriHostNameType.Unknown ? new SwimNodeMeta(host, port) : null;
    }

    /// <summary>
    /// The HTTP endpoint of <paramref name="member"/> from its metadata: the gossiped host, else the
    /// member's SWIM address; null when the metadata is missing or unreadable.
    /// </summary>
    public static PeerEndpoint? HttpEndpointOf(SwimMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        SwimNodeMeta? meta = TryDecode(member.Meta);
        return meta is null ? null : new PeerEndpoint(meta.HttpHost ?? member.Address, meta.HttpPort);
    }
}
