using System.Net;
using System.Net.Sockets;

namespace RingRift.P2P.Testing.Ports;

/// <summary>
/// Loopback ports for tests that bind real sockets, unique across every test process running at once.
/// </summary>
/// <remarks>
/// <para>Ports are drawn at random from 20000–32767, below Linux's ephemeral range (32768–60999), so an
/// outgoing connection cannot take one between the check and the bind (a port the OS hands out for
/// port 0 can be taken that way). A port is handed out only when both TCP and UDP can bind it on
/// 127.0.0.1 (a SWIM port needs both).</para>
/// <para>Test projects run in parallel processes, so a port is also reserved for the process: an
/// exclusive lock on <c>$TMPDIR/ringrift-p2p-test-ports/&lt;port&gt;.lock</c>, held until the process
/// exits (the kernel drops the lock when it dies, even by kill -9). Another test process skips a locked
/// port; the same process never gets one twice.</para>
/// </remarks>
public static class TestPorts
{
    private const int FirstPort = 20000;
    private const int LastPort = 32767;
    private static readonly string LockFolder = Path.Combine(Path.GetTempPath(), "ringrift-p2p-test-ports");
    private static readonly List<FileStream> Held = [];
    private static readonly HashSet<int> Given = [];

    /// <summary>One free port reserved for this process.</summary>
    public static int Free() => Free(1)[0];

    /// <summary><paramref name="count"/> distinct free ports reserved for this process.</summary>
    public static int[] Free(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var ports = new int[count];
        lock (Given)
        {
            Directory.CreateDirectory(LockFolder);
            for (int i = 0; i < count; i++)
            {
                for (int attempt = 0; ; attempt++)
                {
                    if (attempt == 10_000)
                    {
                        throw new InvalidOperationException($"No free loopback port in {FirstPort}-{LastPort} after 10,000 tries; {Given.Count} held by this process.");
                    }

                    int port = Random.Shared.Next(FirstPort, LastPort + 1);
                    if (Given.Contains(port) || !Reserve(port))
                    {
                        continue;
                    }

                    Given.Add(port);
                    if (CanBind(port))
                    {
                        ports[i] = port;
                        break;
                    }
                }
            }
        }

        return ports;
    }

    /// <summary>
    /// <paramref name="count"/> consecutive free ports reserved for this process, for programs that take a
    /// first port and use the ones after it (<c>local-cluster --base-port</c>); returns the first.
    /// </summary>
    public static int FreeRange(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (Given)
        {
            Directory.CreateDirectory(LockFolder);
            for (int attempt = 0; attempt < 10_000; attempt++)
            {
                int first = Random.Shared.Next(FirstPort, LastPort - count + 2);
                // Ports reserved before a taken one stay reserved (unused): simpler than handing locks back.
                if (Enumerable.Range(first, count).All(port => !Given.Contains(port) && Reserve(port) && Given.Add(port) && CanBind(port)))
                {
                    return first;
                }
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free loopback ports in {FirstPort}-{LastPort} after 10,000 tries.");
    }

    /// <summary>Takes the port's lock file for the rest of this process's life; false when another process holds it.</summary>
    private static bool Reserve(int port)
    {
        try
        {
            // FileShare.None is an exclusive flock on Linux: held until this process exits.
            var stream = new FileStream(Path.Combine(LockFolder, $"{port}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            Held.Add(stream);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>True when TCP and UDP can both bind <paramref name="port"/> on 127.0.0.1 right now.</summary>
    public static bool CanBind(int port)
    {
        try
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
