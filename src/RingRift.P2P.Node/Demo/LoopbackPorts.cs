using System.Net;
using System.Net.Sockets;

using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Demo;

/// <summary>TCP ports on 127.0.0.1: which are free, and fresh free ones (never the same one twice in a process).</summary>
public static class LoopbackPorts
{
    private static readonly HashSet<int> Given = [];

    /// <summary>True when both TCP and UDP <paramref name="port"/> can be bound on 127.0.0.1 (a SWIM port needs both).</summary>
    public static bool IsFreeForSwim(int port)
    {
        if (!IsFree(port)) return false;
        try
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Ports free right now for TCP and UDP, drawn at random from 20000-32767: below Linux's ephemeral
    /// range (32768-60999), so an outgoing connection cannot take one between this check and the bind
    /// (that race failed tests once the nodes made more connections). A port handed out before in this
    /// process is skipped.
    /// </summary>
    public static int[] Free(int count)
    {
        var ports = new int[count];
        lock (Given)
        {
            for (var i = 0; i < count; i++)
            {
                int port;
                do port = Random.Shared.Next(FirstPort, LastPort + 1);
                while (Given.Contains(port) || !IsFreeForSwim(port));
                Given.Add(port);
                ports[i] = port;
            }
        }
        return ports;
    }

    private const int FirstPort = 20000;
    private const int LastPort = 32767;
}
