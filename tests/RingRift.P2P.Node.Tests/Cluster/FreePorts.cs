using System.Net;
using System.Net.Sockets;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>Free TCP ports on 127.0.0.1, never handed out twice in one test run.</summary>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    public static int[] Take(int count)
    {
        var ports = new int[count];
        lock (Given)
        {
            for (var i = 0; i < count; i++)
            {
                int port;
                do
                {
                    using var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    port = ((IPEndPoint)listener.LocalEndpoint).Port;
                } while (!Given.Add(port));
                ports[i] = port;
            }
        }
        return ports;
    }
}
