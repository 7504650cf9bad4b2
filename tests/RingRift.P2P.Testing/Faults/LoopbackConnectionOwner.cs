using System.Globalization;
using System.Net;

namespace RingRift.P2P.Testing.Faults;

/// <summary>
/// Finds which local process opened a loopback TCP connection (Linux only). A proxy that accepted a
/// connection knows only the client's source port; the kernel's socket tables map that 4-tuple to
/// the client socket's inode, and <c>/proc/&lt;pid&gt;/fd/*</c> links (<c>socket:[inode]</c>) map the
/// inode to the process holding it.
/// </summary>
/// <remarks>
/// Steps: (1) read <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c> and pick the row whose LOCAL end
/// is the client endpoint and whose REMOTE end is the server (proxy) endpoint — matching both ends
/// matters because Linux reuses one ephemeral port for connections to different destinations;
/// (2) scan the fd links of each candidate pid for that inode. IPv4-mapped IPv6 addresses compare
/// equal to their IPv4 form. The answer is null when the row is gone or has inode 0 (client closed),
/// or no candidate holds the socket (process died, or an fd shared with a child is not looked for
/// outside the candidates). A lookup costs two small file reads plus one readlink per open fd of each
/// candidate scanned, typically well under a few milliseconds.
/// </remarks>
public static class LoopbackConnectionOwner
{
    private static readonly string[] SocketTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    /// <summary>
    /// The pid among <paramref name="candidatePids"/> holding the client socket of the connection
    /// <paramref name="clientEndPoint"/> → <paramref name="serverEndPoint"/>, or null when none does.
    /// </summary>
    /// <param name="clientEndPoint">The accepted socket's remote endpoint (the client's source address and port).</param>
    /// <param name="serverEndPoint">The accepted socket's local endpoint (the address and port the client connected to).</param>
    /// <param name="candidatePids">Processes to look in, in the order given.</param>
    /// <exception cref="PlatformNotSupportedException">Not running on Linux.</exception>
    public static int? FindOwnerPid(IPEndPoint clientEndPoint, IPEndPoint serverEndPoint, IEnumerable<int> candidatePids)
    {
        ArgumentNullException.ThrowIfNull(candidatePids);
        ulong? inode = FindClientSocketInode(clientEndPoint, serverEndPoint);
        if (inode is null) return null; // connection gone or never seen
        foreach (int pid in candidatePids)
        {
            if (ProcessHoldsSocket(pid, inode.Value)) return pid;
        }

        return null;
    }

    /// <summary>
    /// The inode of the socket whose local end is <paramref name="clientEndPoint"/> and whose remote
    /// end is <paramref name="serverEndPoint"/>, read from the live socket tables; null when absent or
    /// no longer held by any file descriptor.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not running on Linux.</exception>
    public static ulong? FindClientSocketInode(IPEndPoint clientEndPoint, IPEndPoint serverEndPoint)
    {
        ArgumentNullException.ThrowIfNull(clientEndPoint);
        ArgumentNullException.ThrowIfNull(serverEndPoint);
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException($"{nameof(LoopbackConnectionOwner)} reads /proc/net/tcp and /proc/<pid>/fd; allowed: Linux only.");

        foreach (string table in SocketTables)
        {
            if (!File.Exists(table)) continue; // e.g. IPv6 disabled
            ulong? inode = FindClientSocketInode(ProcNetTcpEntry.ParseAll(File.ReadLines(table)), clientEndPoint, serverEndPoint);
            if (inode is not null) return inode;
        }

        return null;
    }

    /// <summary>
    /// The same match over already parsed rows: local end equals <paramref name="clientEndPoint"/>,
    /// remote end equals <paramref name="serverEndPoint"/> (both compared after IPv4-mapped
    /// normalisation), inode not 0.
    /// </summary>
    public static ulong? FindClientSocketInode(IEnumerable<ProcNetTcpEntry> entries, IPEndPoint clientEndPoint, IPEndPoint serverEndPoint)
    {
        ArgumentNullException.ThrowIfNull(entries);
        IPEndPoint client = ProcNetTcpEntry.Normalize(clientEndPoint);
        IPEndPoint server = ProcNetTcpEntry.Normalize(serverEndPoint);
        foreach (ProcNetTcpEntry entry in entries)
        {
            if (entry.Inode == 0) continue; // no descriptor holds it (closed by its process)
            if (!entry.Local.Equals(client)) continue; // another socket
            if (!entry.Remote.Equals(server)) continue; // same source port towards another destination
            return entry.Inode;
        }

        return null;
    }

    /// <summary>
    /// True when one of <c>/proc/<paramref name="pid"/>/fd/*</c> links to <c>socket:[inode]</c>;
    /// false when it does not or the process is gone or unreadable.
    /// </summary>
    public static bool ProcessHoldsSocket(int pid, ulong inode)
    {
        string target = "socket:[" + inode.ToString(CultureInfo.InvariantCulture) + "]";
        try
        {
            foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd"))
            {
                string? link;
                try
                {
                    link = new FileInfo(fd).LinkTarget;
                }
                catch (IOException)
                {
                    continue; // fd closed while scanning
                }

                if (link == target) return true;
            }
        }
        catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return false; // process exited or belongs to someone else
        }

        return false;
    }

    /// <summary>
    /// An identify function for <see cref="FaultProxy"/>: the label of the process owning the client
    /// socket, looked up in <paramref name="labelsByPid"/> (its keys are the candidates), or null.
    /// Pass a concurrent dictionary to change the map while proxies run (a restarted node has a new pid).
    /// </summary>
    public static Func<IPEndPoint, IPEndPoint, string?> Identifier(IReadOnlyDictionary<int, string> labelsByPid)
    {
        ArgumentNullException.ThrowIfNull(labelsByPid);
        return (client, server) =>
        {
            int? pid = FindOwnerPid(client, server, labelsByPid.Keys.ToArray());
            return pid is int owner && labelsByPid.TryGetValue(owner, out string? label) ? label : null;
        };
    }
}
