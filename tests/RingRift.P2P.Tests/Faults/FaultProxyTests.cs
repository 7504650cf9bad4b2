using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RingRift.P2P.Testing.Faults;
using RingRift.P2P.Testing.Waiting;
using Xunit;

namespace RingRift.P2P.Tests.Faults;

public class FaultProxyTests
{
    private readonly ProxyTestClient _clients = new();

    [Fact]
    public async Task Forwards_OneMegabyte_BothWays_ThroughTheEchoServer()
    {
        await using var echo = new LoopbackEchoServer();
        await using var proxy = new FaultProxy(echo.EndPoint, _clients.Identify);
        byte[] payload = new byte[1 << 20];
        new Random(4).NextBytes(payload);

        using Socket socket = await _clients.ConnectAsync(proxy.EndPoint, "a");
        (RoundTrip outcome, byte[] received) = await ProxyTestClient.EchoAsync(socket, payload);

        Assert.Equal(RoundTrip.Echoed, outcome);
        Assert.Equal(payload, received);
        // The proxy counts a chunk after writing it on, so the client can hold the last bytes a moment before they are counted.
        await Eventually.Until(() => proxy.Counters.BytesForwarded, b => b >= 2L << 20, "the proxy to count 1 MiB forwarded each way (bytes)");
        Assert.Equal(2L << 20, proxy.Counters.BytesForwarded); // 1 MiB each way, nothing more
        Assert.Equal(["a"], proxy.ActiveSources);
    }

    [Fact]
    public async Task Block_CutsTheOpenConnection_AndResetsNewOnes_WhileAnotherSourceStillPasses()
    {
        await using var echo = new LoopbackEchoServer();
        await using var proxy = new FaultProxy(echo.EndPoint, _clients.Identify);
        using Socket a = await _clients.ConnectAsync(proxy.EndPoint, "a");
        using Socket b = await _clients.ConnectAsync(proxy.EndPoint, "b");
        Assert.Equal(RoundTrip.Echoed, (await ProxyTestClient.EchoAsync(a, [1])).Outcome);
        Assert.Equal(RoundTrip.Echoed, (await ProxyTestClient.EchoAsync(b, [1])).Outcome);

        proxy.Block("a");

        Assert.Equal(RoundTrip.Reset, (await ProxyTestClient.EchoAsync(a, [2])).Outcome);
        Assert.Equal(RoundTrip.Reset, await _clients.FreshRoundTripAsync(proxy.EndPoint, "a"));
        Assert.Equal(RoundTrip.Echoed, (await ProxyTestClient.EchoAsync(b, [2])).Outcome);
        Assert.Equal(RoundTrip.Echoed, await _clients.FreshRoundTripAsync(proxy.EndPoint, "b"));
        // The proxy counts a refusal just after resetting the socket: the client can see the reset first.
        FaultProxyCounters counters = await Eventually.Until(() => proxy.Counters, c => c.RefusedByBlock >= 1, "the proxy to count the refused connection");
        Assert.Equal(1, counters.Cut);
        Assert.Equal(1, counters.RefusedByBlock);
        Assert.Equal(4, counters.Accepted);
    }

    [Fact]
    public async Task Heal_LetsABlockedSourceConnectAgain()
    {
        await using var echo = new LoopbackEchoServer();
        await using var proxy = new FaultProxy(echo.EndPoint, _clients.Identify);
        proxy.Block("a");
        Assert.Equal(RoundTrip.Reset, await _clients.FreshRoundTripAsync(proxy.EndPoint, "a"));

        proxy.Heal();

        Assert.False(proxy.IsBlocked("a"));
        Assert.Equal(RoundTrip.Echoed, await _clients.FreshRoundTripAsync(proxy.EndPoint, "a"));
    }

    [Fact]
    public async Task Unblock_LiftsOneSource_ButNotABlockAll()
    {
        await using var echo = new LoopbackEchoServer();
        await using var proxy = new FaultProxy(echo.EndPoint, _clients.Identify);
        proxy.Block("a");
        proxy.Unblock("a");
        Assert.Equal(RoundTrip.Echoed, await _clients.FreshRoundTripAsync(proxy.EndPoint, "a"));

        proxy.BlockAll();
        proxy.Unblock("a");

        Assert.Equal(RoundTrip.Reset, await _clients.FreshRoundTripAsync(proxy.EndPoint, "a"));
    }

    [Fact]
    public async Task BlockAll_CutsAndRefusesUnknownSourcesToo()
    {
        await using var echo = new LoopbackEchoServer();
        await using var proxy = new FaultProxy(echo.EndPoint, _ => null);
        using var unknown = new TcpClient();
        await unknown.ConnectAsync(proxy.EndPoint);
        Assert.Equal(RoundTrip.Echoed, (await ProxyTestClient.EchoAsync(unknown.Client, [1])).Outcome);

        proxy.BlockAll();

        Assert.Equal(RoundTrip.Reset, (await ProxyTestClient.EchoAsync(unknown.Client, [2])).Outcome);
        Assert.Equal(RoundTrip.Reset, await _clients.FreshRoundTripAsync(proxy.EndPoint, "ignored"));
        Assert.Equal(1, proxy.Counters.Cut);
    }

    [Fact]
    public async Task IdentifyFailure_LabelsTheSourceUnknown_AndStillForwards()
    {
        await using var echo = new LoopbackEchoServer();
        await using var proxy = new FaultProxy(echo.EndPoint, _ => throw new InvalidOperationException("boom"));
        using var client = new TcpClient();
        await client.ConnectAsync(proxy.EndPoint);

        Assert.Equal(RoundTrip.Echoed, (await ProxyTestClient.EchoAsync(client.Client, [1])).Outcome);
        Assert.Equal([null], proxy.ActiveSources);
    }

    [Fact]
    public async Task SetDelay_AddsAtLeastTheDelay_InEachDirection()
    {
        await using var echo = new LoopbackEchoServer();
        await using var proxy = new FaultProxy(echo.EndPoint, _clients.Identify);
        using Socket socket = await _clients.ConnectAsync(proxy.EndPoint, "a");
        Assert.Equal(RoundTrip.Echoed, (await ProxyTestClient.EchoAsync(socket, [1])).Outcome); // warm up
        var delay = TimeSpan.FromMilliseconds(150);

        proxy.SetDelay(delay);
        var clock = Stopwatch.StartNew();
        RoundTrip outcome = (await ProxyTestClient.EchoAsync(socket, [2])).Outcome;
        clock.Stop();

        Assert.Equal(RoundTrip.Echoed, outcome);
        Assert.True(clock.Elapsed >= 2 * delay, $"round trip took {clock.Elapsed.TotalMilliseconds} ms; expected >= {2 * delay.TotalMilliseconds} ms");
        proxy.Heal();
        Assert.Equal(TimeSpan.Zero, proxy.Delay);
    }

    [Fact]
    public async Task DisposeAsync_LeavesNoSocketOfTheProxyOpen()
    {
        await using var echo = new LoopbackEchoServer();
        var proxy = new FaultProxy(echo.EndPoint, _clients.Identify);
        using Socket a = await _clients.ConnectAsync(proxy.EndPoint, "a");
        using Socket b = await _clients.ConnectAsync(proxy.EndPoint, "b");
        Assert.Equal(RoundTrip.Echoed, (await ProxyTestClient.EchoAsync(a, [1])).Outcome);
        Assert.Equal(RoundTrip.Echoed, (await ProxyTestClient.EchoAsync(b, [1])).Outcome);
        Assert.Equal(2, OpenSockets(proxy.EndPoint.Port, echo.EndPoint).Count(r => r.Local.Port == proxy.EndPoint.Port && r.State == ProcTcpState.Established));

        await proxy.DisposeAsync();

        Assert.Equal(0, proxy.ActiveConnections);
        Assert.Empty(OpenSockets(proxy.EndPoint.Port, echo.EndPoint)); // listener, accepted and onward sockets all closed
        await Assert.ThrowsAnyAsync<SocketException>(async () =>
        {
            using var late = new TcpClient();
            await late.ConnectAsync(proxy.EndPoint);
        });
    }

    [Fact]
    public async Task LoopbackConnectionOwner_LabelsThisProcessAndAChildProcess_SoBlockingTheChildSparesUs()
    {
        await using var echo = new LoopbackEchoServer();
        var labelsByPid = new ConcurrentDictionary<int, string> { [Environment.ProcessId] = "self" };
        await using var proxy = new FaultProxy(echo.EndPoint, LoopbackConnectionOwner.Identifier(labelsByPid));
        using Process child = LoopbackConnectionOwnerTests.StartBashClient(proxy.EndPoint.Port);
        labelsByPid[child.Id] = "child";
        try
        {
            LoopbackConnectionOwnerTests.LetConnect(child); // only now, with its pid in the map
            IReadOnlyList<string?> sources = await Eventually.Until(() => proxy.ActiveSources, s => s.Count == 1, "the child's connection through the proxy (active sources)");
            Assert.Equal(["child"], sources);
            using var self = new TcpClient();
            await self.ConnectAsync(proxy.EndPoint);
            Assert.Equal(RoundTrip.Echoed, (await ProxyTestClient.EchoAsync(self.Client, [1])).Outcome);
            Assert.Contains("self", proxy.ActiveSources);

            proxy.Block("child");

            await Eventually.Until(() => child.HasExited, "the child to exit once its connection was cut");
            Assert.Equal(RoundTrip.Echoed, (await ProxyTestClient.EchoAsync(self.Client, [2])).Outcome);
            Assert.Equal(1, proxy.Counters.Cut);
        }
        finally
        {
            if (!child.HasExited) child.Kill();
            await child.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task InvalidArguments_AreRejected_NamingTheValue()
    {
        await using var echo = new LoopbackEchoServer();
        await using var proxy = new FaultProxy(echo.EndPoint, _clients.Identify);

        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => proxy.SetDelay(TimeSpan.FromMilliseconds(-1)));
        Assert.Contains("delay", negative.Message);
        Assert.Throws<ArgumentException>(() => proxy.Block(""));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaultProxy(new IPEndPoint(IPAddress.Loopback, 0), _clients.Identify));
    }

    /// <summary>Socket rows still held by a descriptor: on the proxy's port, or connected to the echo server.</summary>
    private static ProcNetTcpEntry[] OpenSockets(int proxyPort, IPEndPoint target) =>
        ProcNetTcpEntry.ParseAll(File.ReadLines("/proc/net/tcp"))
            .Where(r => r.Inode != 0 && (r.Local.Port == proxyPort || r.Remote.Equals(target)))
            .ToArray();
}
