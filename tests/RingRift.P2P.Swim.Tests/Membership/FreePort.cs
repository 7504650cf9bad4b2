using System.Net;
using System.Net.Sockets;

namespace RingRift.P2P.Swim.Tests.Membership;

/// <summary>A UDP port on 127.0.0.1 that was free a moment ago (bound, read, released).</summary>
internal static class FreePort
{
    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
