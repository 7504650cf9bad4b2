using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RingRift.P2P.Swim.Net;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Swim.Tests.Net;

/// <summary>
/// <see cref="UdpSwimTransport"/> on real sockets, 127.0.0.1 only: OS-picked ports the transport keeps
/// bound, or <see cref="TestPorts"/> for a port nobody may bind meanwhile. Waits are on events with
/// bounds for a loaded 2-core host (this is I/O, not protocol time logic); that something did not
/// arrive is shown by a later datagram that did.
/// </summary>
public sealed class UdpSwimTransportTests : IAsyncLifetime
{
    private const string Loopback = "127.0.0.1";

    /// <summary>Bound of every wait on the network: 30 s, never reached when things work.</summary>
    private static readonly TimeSpan Patience = Eventually.DefaultWithin;

    /// <summary>A request timeout no test lasts: a result that comes at all came from something else.</summary>
    private static readonly TimeSpan NotWithinTheTest = TimeSpan.FromHours(1);
    private readonly List<UdpSwimTransport> _transports = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (UdpSwimTransport t in _transports)
        {
            await t.DisposeAsync();
        }
    }

    [Fact]
    public void Bind_to_port_zero_reports_the_real_port_and_TCP_listens_on_the_same_number()
    {
        UdpSwimTransport t = Bind();

        Assert.Equal(Loopback, t.Local.Address);
        Assert.InRange(t.Local.Port, 1, 65_535);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Connect(IPAddress.Loopback, t.Local.Port); // throws if nothing listens there
        Assert.True(probe.Connected);
    }

    [Fact]
    public void Bind_rejects_a_host_name_and_out_of_range_numbers_naming_the_parameter()
    {
        Assert.Contains("address", Assert.Throws<ArgumentException>(() => UdpSwimTransport.Bind("localhost", 0)).Message);
        Assert.Equal("port", Assert.Throws<ArgumentOutOfRangeException>(() => UdpSwimTransport.Bind(Loopback, 65_536)).ParamName);
        Assert.Equal("maxPacketBytes",
            Assert.Throws<ArgumentOutOfRangeException>(() => UdpSwimTransport.Bind(Loopback, 0, maxPacketBytes: 511)).ParamName);
    }

    [Fact]
    public async Task A_packet_goes_from_one_transport_to_the_other_with_the_sender_endpoint()
    {
        UdpSwimTransport a = Bind(), b = Bind();
        var got = new TaskCompletionSource<(SwimEndpoint From, byte[] Packet)>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Attach((_, _) => { }, (_, _) => null);
        b.Attach((from, p) => got.TrySetResult((from, p)), (_, _) => null);

        a.SendPacket(b.Local, [1, 2, 3]);

        (SwimEndpoint from, byte[] packet) = await got.Task.WaitAsync(Patience);
        Assert.Equal(a.Local, from);
        Assert.Equal(new byte[] { 1, 2, 3 }, packet);
    }

    [Fact]
    public void A_packet_longer_than_MaxPacketBytes_is_not_sent_but_a_shorter_one_after_it_is()
    {
        UdpSwimTransport a = Bind(), b = Bind();
        var got = new BlockingCollection<byte[]>();
        a.Attach((_, _) => { }, (_, _) => null);
        b.Attach((_, p) => got.Add(p), (_, _) => null);

        a.SendPacket(b.Local, new byte[a.MaxPacketBytes + 1]);
        a.SendPacket(b.Local, new byte[a.MaxPacketBytes]);
        a.SendPacket(b.Local, [7]); // a marker: once it is in, anything sent before it would be too

        Assert.True(got.TryTake(out byte[]? first, Patience));
        Assert.Equal(a.MaxPacketBytes, first.Length); // the oversized one never arrived ahead of it
        Assert.True(got.TryTake(out byte[]? marker, Patience));
        Assert.Equal(new byte[] { 7 }, marker); // nor between it and the marker
        Assert.Empty(got);
    }

    [Fact]
    public async Task Oversized_and_garbage_datagrams_are_passed_through_and_the_loop_keeps_running()
    {
        UdpSwimTransport b = Bind();
        var got = new BlockingCollection<byte[]>();
        b.Attach((_, p) => got.Add(p), (_, _) => null);
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var to = new IPEndPoint(IPAddress.Loopback, b.Local.Port);

        await raw.SendToAsync(new byte[9_000], to);
        await raw.SendToAsync(new byte[] { 0xFF }, to);
        await raw.SendToAsync(Array.Empty<byte>(), to);

        Assert.True(got.TryTake(out byte[]? big, Patience));
        Assert.Equal(9_000, big.Length);
        Assert.True(got.TryTake(out byte[]? garbage, Patience));
        Assert.Equal(new byte[] { 0xFF }, garbage);
        Assert.True(got.TryTake(out byte[]? empty, Patience));
        Assert.Empty(empty);
    }

    [Fact]
    public void Sending_to_a_closed_port_neither_throws_nor_stops_the_sender_receiving()
    {
        UdpSwimTransport a = Bind(), b = Bind();
        var closed = new SwimEndpoint(Loopback, TestPorts.Free()); // reserved for this process, never bound
        var got = new BlockingCollection<byte[]>();
        a.Attach((_, p) => got.Add(p), (_, _) => null);
        b.Attach((_, p) => b.SendPacket(a.Local, [4]), (_, _) => null); // answers a's later packet

        for (int i = 0; i < 5; i++)
        {
            a.SendPacket(closed, [9]); // an ICMP port unreachable may come back to a's socket for each
        }

        // Sent after them: by the time b answers it, loopback has handled the five and any ICMP error they caused.
        a.SendPacket(b.Local, [8]);

        Assert.True(got.TryTake(out byte[]? p, Patience));
        Assert.Equal(new byte[] { 4 }, p);
    }

    [Fact]
    public async Task A_request_gets_the_handler_response_and_the_handler_sees_the_request()
    {
        UdpSwimTransport a = Bind(), b = Bind();
        a.Attach((_, _) => { }, (_, _) => null);
        b.Attach((_, _) => { }, (_, req) => [.. req, .. req]);

        byte[]? response = await a.SendRequestAsync(b.Local, [5, 6], Patience, CancellationToken.None);

        Assert.Equal(new byte[] { 5, 6, 5, 6 }, response);
    }

    [Fact]
    public async Task A_frame_of_exactly_one_MiB_is_carried_both_ways()
    {
        UdpSwimTransport a = Bind(), b = Bind();
        a.Attach((_, _) => { }, (_, _) => null);
        b.Attach((_, _) => { }, (_, req) => req);
        byte[] request = new byte[StreamFrames.MaxFrameBytes];
        request[^1] = 42;

        byte[]? response = await a.SendRequestAsync(b.Local, request, Patience, CancellationToken.None);

        Assert.NotNull(response);
        Assert.Equal(StreamFrames.MaxFrameBytes, response.Length);
        Assert.Equal(42, response[^1]);
    }

    [Fact]
    public async Task A_null_handler_result_closes_the_connection_and_the_caller_gets_null()
    {
        UdpSwimTransport a = Bind(), b = Bind();
        int calls = 0;
        a.Attach((_, _) => { }, (_, _) => null);
        b.Attach((_, _) => { }, (_, _) => { Interlocked.Increment(ref calls); return null; });

        byte[]? response = await a.SendRequestAsync(b.Local, [1], Patience, CancellationToken.None);

        Assert.Null(response);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_request_to_a_closed_port_is_null_without_waiting_for_its_timeout()
    {
        UdpSwimTransport a = Bind();
        var closed = new SwimEndpoint(Loopback, TestPorts.Free()); // reserved for this process, never bound

        // The timeout is an hour: an answer within the wait's bound can only come from the refused connection.
        byte[]? response = await a.SendRequestAsync(closed, [1], NotWithinTheTest, CancellationToken.None).WaitAsync(Patience);

        Assert.Null(response);
    }

    [Fact]
    public async Task A_server_that_never_answers_gives_null_at_the_timeout()
    {
        UdpSwimTransport a = Bind();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();

        byte[]? response = await a.SendRequestAsync(new SwimEndpoint(Loopback, port), [1], TimeSpan.FromMilliseconds(300), CancellationToken.None)
            .WaitAsync(Patience); // bounded: a request that ignored its timeout would wait for ever

        Assert.Null(response);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"gave up after {clock.Elapsed.TotalMilliseconds:F0} ms, before its 300 ms timeout");
    }

    [Fact]
    public async Task Cancelling_the_caller_token_gives_null()
    {
        UdpSwimTransport a = Bind();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        // The timeout is an hour: an answer within the wait's bound can only come from the cancellation.
        byte[]? response = await a.SendRequestAsync(new SwimEndpoint(Loopback, port), [1], NotWithinTheTest, cts.Token)
            .WaitAsync(Patience);

        Assert.Null(response);
    }

    [Fact]
    public async Task A_request_over_one_MiB_is_refused_without_reaching_the_server()
    {
        UdpSwimTransport a = Bind(), b = Bind();
        int calls = 0;
        a.Attach((_, _) => { }, (_, _) => null);
        b.Attach((_, _) => { }, (_, req) => { Interlocked.Increment(ref calls); return req; });

        byte[]? response = await a.SendRequestAsync(b.Local, new byte[StreamFrames.MaxFrameBytes + 1], Patience, CancellationToken.None);

        Assert.Null(response);
        Assert.Equal(0, calls);
        Assert.NotNull(await a.SendRequestAsync(b.Local, [1], Patience, CancellationToken.None)); // control: same pair works
    }

    [Fact]
    public async Task The_listener_survives_garbage_an_oversized_header_and_a_silent_client()
    {
        var b = UdpSwimTransport.Bind(Loopback, 0, requestReadTimeout: TimeSpan.FromMilliseconds(300));
        _transports.Add(b);
        UdpSwimTransport a = Bind();
        int calls = 0;
        a.Attach((_, _) => { }, (_, _) => null);
        b.Attach((_, _) => { }, (_, req) => { Interlocked.Increment(ref calls); return req; });

        byte[] hugeHeader = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(hugeHeader, StreamFrames.MaxFrameBytes + 1);
        Assert.True(await ServerClosesAfter(b.Local.Port, hugeHeader), "an oversized length header must be refused");
        Assert.True(await ServerClosesAfter(b.Local.Port, [0xFF, 0xFF, 0xFF, 0xFF, 1, 2]), "a negative length must be refused");
        Assert.True(await ServerClosesAfter(b.Local.Port, [0, 0]), "a truncated header must be dropped");
        Assert.True(await ServerClosesAfter(b.Local.Port, [0, 0, 0, 10, 1]), "a silent client must be cut at the read timeout");

        Assert.Equal(0, calls);
        Assert.Equal(new byte[] { 3 }, await a.SendRequestAsync(b.Local, [3], Patience, CancellationToken.None));
    }

    [Fact]
    public async Task Handlers_are_called_one_at_a_time_under_concurrent_packets_and_requests()
    {
        UdpSwimTransport a = Bind(), b = Bind();
        int active = 0, maxActive = 0, packets = 0;
        void Enter()
        {
            int now = Interlocked.Increment(ref active);
            InterlockedMax(ref maxActive, now);
            Thread.SpinWait(20_000);
            Interlocked.Decrement(ref active);
        }

        a.Attach((_, _) => { }, (_, _) => null);
        b.Attach((_, _) => { Enter(); Interlocked.Increment(ref packets); }, (_, req) => { Enter(); return req; });

        Task<byte[]?>[] requests = Enumerable.Range(0, 20)
            .Select(i => a.SendRequestAsync(b.Local, [(byte)i], Patience, CancellationToken.None)).ToArray();
        for (int i = 0; i < 50; i++)
        {
            a.SendPacket(b.Local, [(byte)i]);
        }

        byte[]?[] responses = await Task.WhenAll(requests);
        Assert.All(responses, Assert.NotNull);
        await Eventually.Until(() => Volatile.Read(ref packets), n => n == 50, "b to handle all 50 packets", Patience);
        Assert.Equal(1, maxActive);
    }

    [Fact]
    public async Task Dispose_ends_the_loops_frees_both_ports_and_later_sends_are_quiet()
    {
        int port = TestPorts.Free(); // no other test process binds it between the dispose and the rebind
        UdpSwimTransport a = Bind(), b = UdpSwimTransport.Bind(Loopback, port);
        _transports.Add(b);
        int delivered = 0;
        a.Attach((_, _) => { }, (_, _) => null);
        b.Attach((_, _) => Interlocked.Increment(ref delivered), (_, req) => req);

        await b.DisposeAsync().AsTask().WaitAsync(Patience);
        a.SendPacket(b.Local, [1]);

        Assert.Null(await a.SendRequestAsync(b.Local, [1], Patience, CancellationToken.None));
        b.SendPacket(a.Local, [1]); // disposed: no throw
        Assert.Null(await b.SendRequestAsync(a.Local, [1], Patience, CancellationToken.None));
        await using var again = UdpSwimTransport.Bind(Loopback, port); // both sockets released
        Assert.Equal(port, again.Local.Port);
        var gotAgain = new BlockingCollection<byte[]>();
        again.Attach((_, p) => gotAgain.Add(p), (_, _) => null);
        a.SendPacket(again.Local, [2]);
        Assert.True(gotAgain.TryTake(out byte[]? later, Patience)); // a packet sent after the first one has arrived...
        Assert.Equal(new byte[] { 2 }, later);
        Assert.Equal(0, delivered); // ...and the disposed b never saw the first
        await b.DisposeAsync(); // idempotent
    }

    [Fact]
    public void Attach_twice_throws()
    {
        UdpSwimTransport a = Bind();
        a.Attach((_, _) => { }, (_, _) => null);

        Assert.Throws<InvalidOperationException>(() => a.Attach((_, _) => { }, (_, _) => null));
    }

    private UdpSwimTransport Bind()
    {
        var t = UdpSwimTransport.Bind(Loopback, 0);
        _transports.Add(t);
        return t;
    }

    /// <summary>Sends <paramref name="bytes"/> on a raw connection and reports whether the server closes it (EOF) in time.</summary>
    private static async Task<bool> ServerClosesAfter(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(bytes);
        using var cts = new CancellationTokenSource(Patience);
        try
        {
            byte[] buffer = new byte[16];
            return await stream.ReadAsync(buffer, cts.Token) == 0;
        }
        catch (IOException)
        {
            return true; // reset by the server counts as closed
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
