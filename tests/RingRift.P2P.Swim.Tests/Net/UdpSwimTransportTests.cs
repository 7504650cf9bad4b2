using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RingRift.P2P.Swim.Net;

namespace RingRift.P2P.Swim.Tests.Net;

/// <summary>
/// <see cref="UdpSwimTransport"/> on real sockets, 127.0.0.1 only, OS-picked ports. Waits are bounded
/// polls on real time (this is I/O, not protocol time logic).
/// </summary>
public sealed class UdpSwimTransportTests : IAsyncLifetime
{
    private const string Loopback = "127.0.0.1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
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

        Assert.True(got.TryTake(out byte[]? first, Patience));
        Assert.Equal(a.MaxPacketBytes, first.Length); // the oversized one never arrived ahead of it
        Assert.False(got.TryTake(out _, TimeSpan.FromMilliseconds(200)));
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
    public async Task Sending_to_a_closed_port_neither_throws_nor_stops_the_sender_receiving()
    {
        UdpSwimTransport a = Bind(), b = Bind(), gone = Bind();
        SwimEndpoint closed = gone.Local;
        await gone.DisposeAsync();
        var got = new BlockingCollection<byte[]>();
        a.Attach((_, p) => got.Add(p), (_, _) => null);
        b.Attach((_, _) => { }, (_, _) => null);

        for (int i = 0; i < 5; i++)
        {
            a.SendPacket(closed, [9]); // ICMP port unreachable comes back to a's socket
        }

        await Task.Delay(100);
        b.SendPacket(a.Local, [4]);

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
    public async Task A_request_to_a_closed_port_is_null_well_before_its_timeout()
    {
        UdpSwimTransport a = Bind(), gone = Bind();
        SwimEndpoint closed = gone.Local;
        await gone.DisposeAsync();
        var clock = Stopwatch.StartNew();

        byte[]? response = await a.SendRequestAsync(closed, [1], TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Null(response);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}; connection refused should be immediate");
    }

    [Fact]
    public async Task A_server_that_never_answers_gives_null_at_the_timeout()
    {
        UdpSwimTransport a = Bind();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();

        byte[]? response = await a.SendRequestAsync(new SwimEndpoint(Loopback, port), [1], TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Null(response);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Cancelling_the_caller_token_gives_null()
    {
        UdpSwimTransport a = Bind();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        byte[]? response = await a.SendRequestAsync(new SwimEndpoint(Loopback, port), [1], TimeSpan.FromSeconds(30), cts.Token)
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
        UdpSwimTransport b = UdpSwimTransport.Bind(Loopback, 0, requestReadTimeout: TimeSpan.FromMilliseconds(300));
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
        Assert.Equal(1, maxActive);
        Assert.True(packets > 0);
    }

    [Fact]
    public async Task Dispose_ends_the_loops_frees_both_ports_and_later_sends_are_quiet()
    {
        UdpSwimTransport a = Bind(), b = Bind();
        int delivered = 0;
        a.Attach((_, _) => { }, (_, _) => null);
        b.Attach((_, _) => Interlocked.Increment(ref delivered), (_, req) => req);
        int port = b.Local.Port;

        await b.DisposeAsync().AsTask().WaitAsync(Patience);
        a.SendPacket(b.Local, [1]);

        Assert.Null(await a.SendRequestAsync(b.Local, [1], Patience, CancellationToken.None));
        b.SendPacket(a.Local, [1]); // disposed: no throw
        Assert.Null(await b.SendRequestAsync(a.Local, [1], Patience, CancellationToken.None));
        await Task.Delay(100);
        Assert.Equal(0, delivered);
        await using UdpSwimTransport again = UdpSwimTransport.Bind(Loopback, port); // both sockets released
        Assert.Equal(port, again.Local.Port);
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
        UdpSwimTransport t = UdpSwimTransport.Bind(Loopback, 0);
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
