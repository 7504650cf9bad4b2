using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RingRift.P2P.Tests.Faults;

/// <summary>What happened to one echo round trip through a proxy.</summary>
public enum RoundTrip
{
    Echoed,
    Reset,
    TimedOut,
}

/// <summary>
/// Test clients whose source label is known before they connect: each binds its local port first
/// and records port → label, so a proxy's identify function (<see cref="Identify"/>) can name it.
/// </summary>
public sealed class ProxyTestClient
{
    /// <summary>
    /// How long an echo may take before it counts as <see cref="RoundTrip.TimedOut"/>: 30 s, a bound
    /// for a loaded 2-core host (no test expects a time-out; an echo returns as soon as it is done).
    /// </summary>
    public static readonly TimeSpan EchoPatience = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<int, string> _labelsByPort = new();

    /// <summary>Identify function for a <c>FaultProxy</c>: the label registered for the client port.</summary>
    public string? Identify(IPEndPoint client) => _labelsByPort.GetValueOrDefault(client.Port);

    /// <summary>Connects to <paramref name="proxy"/> from a fresh port labelled <paramref name="label"/>.</summary>
    public async Task<Socket> ConnectAsync(IPEndPoint proxy, string label)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _labelsByPort[((IPEndPoint)socket.LocalEndPoint!).Port] = label;
        try
        {
            await socket.ConnectAsync(proxy);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    /// <summary>Sends <paramref name="payload"/> and reads the same number of bytes back (<see cref="EchoPatience"/> limit).</summary>
    public static async Task<(RoundTrip Outcome, byte[] Received)> EchoAsync(Socket socket, byte[] payload)
    {
        using var timeout = new CancellationTokenSource(EchoPatience);
        byte[] received = new byte[payload.Length];
        try
        {
            Task send = SendAllAsync(socket, payload, timeout.Token);
            int read = 0;
            while (read < payload.Length)
            {
                int n = await socket.ReceiveAsync(received.AsMemory(read), SocketFlags.None, timeout.Token);
                if (n == 0) return (RoundTrip.Reset, received); // closed by the proxy
                read += n;
            }

            await send;
            return (RoundTrip.Echoed, received);
        }
        catch (OperationCanceledException)
        {
            return (RoundTrip.TimedOut, received);
        }
        catch (SocketException)
        {
            return (RoundTrip.Reset, received);
        }
    }

    /// <summary>
    /// A fresh connection labelled <paramref name="label"/> and one small echo through it. A refused
    /// connection may already fail in connect (the proxy's reset can arrive before the client's
    /// connect completes): that counts as <see cref="RoundTrip.Reset"/> too.
    /// </summary>
    public async Task<RoundTrip> FreshRoundTripAsync(IPEndPoint proxy, string label)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(proxy, label);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return RoundTrip.Reset;
        }

        using (socket) return (await EchoAsync(socket, [1, 2, 3, 4])).Outcome;
    }

    private static async Task SendAllAsync(Socket socket, byte[] payload, CancellationToken ct)
    {
        int sent = 0;
        while (sent < payload.Length) sent += await socket.SendAsync(payload.AsMemory(sent), SocketFlags.None, ct);
    }
}
