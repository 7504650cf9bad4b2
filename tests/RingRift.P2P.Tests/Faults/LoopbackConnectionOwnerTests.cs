using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RingRift.P2P.Testing.Faults;
using RingRift.P2P.Testing.Waiting;
using Xunit;

namespace RingRift.P2P.Tests.Faults;

public class LoopbackConnectionOwnerTests
{
    [Fact]
    public async Task FindOwnerPid_ResolvesAConnectionFromThisProcess_ToEnvironmentProcessId()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using Socket accepted = await listener.AcceptSocketAsync();

        var clientEnd = (IPEndPoint)accepted.RemoteEndPoint!;
        var serverEnd = (IPEndPoint)accepted.LocalEndPoint!;
        Assert.Equal(Environment.ProcessId, LoopbackConnectionOwner.FindOwnerPid(clientEnd, serverEnd, [1, Environment.ProcessId]));
        Assert.Null(LoopbackConnectionOwner.FindOwnerPid(clientEnd, serverEnd, [1])); // not among the candidates
    }

    [Fact]
    public async Task FindOwnerPid_HandlesIPv4MappedEndpoints_OfADualModeListener()
    {
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        listener.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        listener.Listen();
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndPoint!).Port);
        using Socket accepted = await listener.AcceptAsync();

        var clientEnd = (IPEndPoint)accepted.RemoteEndPoint!;
        Assert.True(clientEnd.Address.IsIPv4MappedToIPv6); // the case under test
        Assert.Equal(Environment.ProcessId, LoopbackConnectionOwner.FindOwnerPid(clientEnd, (IPEndPoint)accepted.LocalEndPoint!, [Environment.ProcessId]));
    }

    [Fact]
    public async Task FindOwnerPid_IsNull_OnceTheClientClosed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using Socket accepted = await listener.AcceptSocketAsync();
        var clientEnd = (IPEndPoint)accepted.RemoteEndPoint!;
        var serverEnd = (IPEndPoint)accepted.LocalEndPoint!;
        Assert.NotNull(LoopbackConnectionOwner.FindOwnerPid(clientEnd, serverEnd, [Environment.ProcessId]));

        client.Dispose();

        Assert.Null(LoopbackConnectionOwner.FindOwnerPid(clientEnd, serverEnd, [Environment.ProcessId]));
    }

    [Fact]
    public async Task FindOwnerPid_ResolvesAChildProcess_NotThisOne()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using Process child = StartBashClient(port);
        try
        {
            LetConnect(child);
            using Socket accepted = await listener.AcceptSocketAsync().WaitAsync(Eventually.DefaultWithin); // bash may start slowly on a busy host

            int? owner = LoopbackConnectionOwner.FindOwnerPid(
                (IPEndPoint)accepted.RemoteEndPoint!, (IPEndPoint)accepted.LocalEndPoint!, [Environment.ProcessId, child.Id]);
            Assert.Equal(child.Id, owner);
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
        }
    }

    /// <summary>
    /// A bash process that, once <see cref="LetConnect"/> is called, connects to
    /// 127.0.0.1:<paramref name="port"/> (bash's /dev/tcp) and holds the connection, reading until it
    /// is closed (then the process exits).
    /// </summary>
    internal static Process StartBashClient(int port)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", $"read -r _; exec 3<>/dev/tcp/127.0.0.1/{port}; exec cat <&3 >/dev/null" },
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
    }

    /// <summary>Releases a client started by <see cref="StartBashClient"/> to connect.</summary>
    internal static void LetConnect(Process child)
    {
        child.StandardInput.WriteLine();
        child.StandardInput.Flush();
    }
}
