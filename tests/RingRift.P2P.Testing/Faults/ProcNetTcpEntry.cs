using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace RingRift.P2P.Testing.Faults;

/// <summary>
/// One socket row of <c>/proc/net/tcp</c> or <c>/proc/net/tcp6</c> (proc(5)): its local and remote
/// endpoints, state and inode. IPv4-mapped IPv6 addresses (<c>::ffff:a.b.c.d</c>) are returned as
/// plain IPv4 so rows from both files compare with endpoints seen by a socket of either family.
/// </summary>
/// <remarks>
/// Column layout: <c>sl local_address rem_address st tx_queue:rx_queue tr:tm-&gt;when retrnsmt uid
/// timeout inode …</c>. Addresses are hex: IPv4 is one 32-bit word, IPv6 four words, each word the
/// address bytes read as a host-order integer and printed with <c>%08X</c>; ports are the port number
/// in hex. An inode of 0 means no file descriptor holds the socket any more (TIME_WAIT, orphaned
/// FIN_WAIT after close).
/// </remarks>
public readonly record struct ProcNetTcpEntry(IPEndPoint Local, IPEndPoint Remote, ProcTcpState State, ulong Inode)
{
    private const int InodeColumn = 9;

    /// <summary>
    /// Parses one data line; false for the header line, blank lines and lines that do not have the
    /// expected columns.
    /// </summary>
    public static bool TryParse(string line, out ProcNetTcpEntry entry)
    {
        entry = default;
        if (string.IsNullOrWhiteSpace(line)) return false; // nothing to parse
        string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (columns.Length <= InodeColumn) return false; // truncated line
        if (!columns[0].EndsWith(':')) return false; // header line ("sl local_address …")
        if (!TryParseEndPoint(columns[1], out IPEndPoint? local)) return false;
        if (!TryParseEndPoint(columns[2], out IPEndPoint? remote)) return false;
        if (!byte.TryParse(columns[3], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte state)) return false;
        if (!ulong.TryParse(columns[InodeColumn], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode)) return false;
        entry = new ProcNetTcpEntry(local, remote, (ProcTcpState)state, inode);
        return true;
    }

    /// <summary>Parses every data line of a whole file's text, skipping the header.</summary>
    public static IEnumerable<ProcNetTcpEntry> ParseAll(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (string line in lines)
        {
            if (TryParse(line, out ProcNetTcpEntry entry)) yield return entry;
        }
    }

    /// <summary>
    /// Parses <c>ADDRESS:PORT</c> in the kernel's hex form (8 hex digits for IPv4, 32 for IPv6).
    /// </summary>
    public static bool TryParseEndPoint(string text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':');
        if (colon < 0) return false; // no port separator
        ReadOnlySpan<char> addressHex = text.AsSpan(0, colon);
        ReadOnlySpan<char> portHex = text.AsSpan(colon + 1);
        if (addressHex.Length != 8 && addressHex.Length != 32) return false; // neither IPv4 nor IPv6
        if (!ushort.TryParse(portHex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort port)) return false;

        Span<byte> bytes = stackalloc byte[addressHex.Length / 2];
        for (int word = 0; word < bytes.Length / 4; word++)
        {
            if (!uint.TryParse(addressHex.Slice(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)) return false;
            // the kernel printed the in-memory bytes as a host-order integer: writing it back in host
            // order restores the bytes
            if (!BitConverter.TryWriteBytes(bytes.Slice(word * 4, 4), value)) return false;
        }

        endPoint = new IPEndPoint(Normalize(new IPAddress(bytes)), port);
        return true;
    }

    /// <summary>An IPv4-mapped IPv6 address as IPv4; any other address unchanged.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <summary>An endpoint with its address normalised by <see cref="Normalize(IPAddress)"/>.</summary>
    public static IPEndPoint Normalize(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
    }
}
