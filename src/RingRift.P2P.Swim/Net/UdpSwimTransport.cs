using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RingRift.P2P.Swim.Net;

/// <summary>
/// The real-network <see cref="ISwimTransport"/>: SWIM packets over one UDP socket, requests
/// (push-pull, TCP fallback ping) over a TCP listener on the same port number.
/// </summary>
/// <remarks>
/// <para>Packets: a single receive loop hands each datagram (up to 65,535 bytes, larger than
/// <see cref="MaxPacketBytes"/> included — the core drops and counts what it cannot read) to the
/// packet handler. Socket errors (e.g. ICMP port unreachable reported as ConnectionReset) are logged
/// and the loop goes on. Outgoing packets longer than <see cref="MaxPacketBytes"/> are dropped.</para>
/// <para>Requests: connect, write one frame (<see cref="StreamFrames"/>: 4-byte big-endian length,
/// at most 1 MiB), read one response frame, all within the caller's timeout; any failure gives null.
/// The listener reads one frame per connection within <see cref="RequestReadTimeout"/>, calls the
/// request handler and writes its response (or closes when the handler returns null). At most
/// <see cref="MaxConcurrentRequests"/> (64) incoming connections are served at once; extra ones are closed.</para>
/// <para>Both handlers run under one lock, so they are called one at a time. Nothing is delivered
/// until <see cref="Attach"/>; datagrams and requests arriving earlier are dropped.</para>
/// </remarks>
public sealed class UdpSwimTransport : ISwimTransport, IAsyncDisposable
{
    /// <summary>Incoming TCP connections served at once; more are closed at accept: 64.</summary>
    public const int MaxConcurrentRequests = 64;

    /// <summary>Largest datagram the receive loop can take: 65,535 bytes.</summary>
    public const int ReceiveBufferBytes = 65_535;

    private const int BindAttempts = 8;

    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly ILogger _logger;
    private readonly Lock _handlerGate = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _connectionSlots = new(MaxConcurrentRequests, MaxConcurrentRequests);
    private Action<SwimEndpoint, byte[]>? _onPacket;
    private Func<SwimEndpoint, byte[], byte[]?>? _onRequest;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _acceptLoop = Task.CompletedTask;
    private int _inFlight;
    private int _disposed;

    private UdpSwimTransport(Socket udp, Socket tcp, SwimEndpoint local, int maxPacketBytes, TimeSpan requestReadTimeout, ILogger logger)
    {
        _udp = udp;
        _tcp = tcp;
        Local = local;
        MaxPacketBytes = maxPacketBytes;
        RequestReadTimeout = requestReadTimeout;
        _logger = logger;
    }

    /// <inheritdoc/>
    public SwimEndpoint Local { get; }

    /// <summary>Largest outgoing datagram; longer packets are dropped by <see cref="SendPacket"/>. 1,400 by default.</summary>
    public int MaxPacketBytes { get; }

    /// <summary>How long the listener waits for a request frame on an accepted connection. 5 s by default.</summary>
    public TimeSpan RequestReadTimeout { get; }

    /// <summary>
    /// Binds a UDP socket and a TCP listener on <paramref name="address"/>, same port number.
    /// </summary>
    /// <param name="address">IPv4 or IPv6 address to bind (e.g. <c>127.0.0.1</c>, <c>0.0.0.0</c>).</param>
    /// <param name="port">0 lets the OS pick a free UDP port (the TCP listener then takes the same
    /// number; retried up to 8 times when that TCP port is taken); 1..65535 binds exactly that port.</param>
    /// <param name="logger">Diagnostics; none when null.</param>
    /// <param name="maxPacketBytes">Largest outgoing datagram, 512..65,507; 1,400 by default (match <see cref="SwimConfig.MaxPacketBytes"/>).</param>
    /// <param name="requestReadTimeout">How long an accepted connection may take to send its request; 5 s when null.</param>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not an IP address.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of its range.</exception>
    /// <exception cref="SocketException">The port is taken (or no free pair was found).</exception>
    public static UdpSwimTransport Bind(string address, int port, ILogger? logger = null, int maxPacketBytes = 1400,
        TimeSpan? requestReadTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IPAddress.TryParse(address, out IPAddress? ip))
        {
            throw new ArgumentException($"address is '{address}'; allowed: an IPv4 or IPv6 address literal.", nameof(address));
        }

        if (port is < 0 or > 65_535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"port is {port}; allowed: 0 (OS picks) to 65535.");
        }

        if (maxPacketBytes is < SwimConfig.MinPacketBytes or > SwimConfig.MaxUdpPayloadBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPacketBytes), maxPacketBytes,
                $"maxPacketBytes is {maxPacketBytes}; allowed: {SwimConfig.MinPacketBytes} to {SwimConfig.MaxUdpPayloadBytes}.");
        }

        TimeSpan readTimeout = requestReadTimeout ?? TimeSpan.FromSeconds(5);
        if (readTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(requestReadTimeout), readTimeout,
                $"requestReadTimeout is {readTimeout}; allowed: > 00:00:00 or null for 5 s.");
        }

        ILogger log = logger ?? NullLogger.Instance;
        int attempts = port == 0 ? BindAttempts : 1;
        for (int attempt = 1; ; attempt++)
        {
            Socket udp = new(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(ip, port));
                int actual = ((IPEndPoint)udp.LocalEndPoint!).Port;
                Socket tcp = new(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    tcp.Bind(new IPEndPoint(ip, actual));
                    tcp.Listen(MaxConcurrentRequests);
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < attempts)
                {
                    tcp.Dispose();
                    udp.Dispose();
                    UdpTransportLog.TcpPortTaken(log, actual, attempt, attempts);
                    continue;
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }

                var transport = new UdpSwimTransport(udp, tcp, new SwimEndpoint(ip.ToString(), actual), maxPacketBytes, readTimeout, log);
                UdpTransportLog.Bound(log, transport.Local.ToString());
                return transport;
            }
            catch
            {
                udp.Dispose();
                throw;
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Already attached.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public void Attach(Action<SwimEndpoint, byte[]> onPacket, Func<SwimEndpoint, byte[], byte[]?> onRequest)
    {
        ArgumentNullException.ThrowIfNull(onPacket);
        ArgumentNullException.ThrowIfNull(onRequest);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_handlerGate)
        {
            if (_onPacket is not null)
            {
                throw new InvalidOperationException($"UdpSwimTransport {Local} already has handlers; Attach may be called once.");
            }

            _onPacket = onPacket;
            _onRequest = onRequest;
        }

        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <inheritdoc/>
    /// <remarks>Drops (and logs) packets that are too long, addresses that are not IP literals, and send errors.</remarks>
    public void SendPacket(SwimEndpoint to, byte[] packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (Volatile.Read(ref _disposed) != 0)
        {
            return; // closed: nothing goes out
        }

        if (packet.Length > MaxPacketBytes)
        {
            UdpTransportLog.PacketDropped(_logger, to.ToString(), $"{packet.Length} bytes > MaxPacketBytes {MaxPacketBytes}");
            return;
        }

        if (!TryEndPoint(to, out IPEndPoint? ep))
        {
            UdpTransportLog.PacketDropped(_logger, to.ToString(), "not an IP address and port");
            return;
        }

        try
        {
            _udp.SendTo(packet, SocketFlags.None, ep);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            UdpTransportLog.SendFailed(_logger, to.ToString(), ex.Message);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Requests longer than <see cref="StreamFrames.MaxFrameBytes"/> are refused (null) without connecting;
    /// so are non-positive timeouts. Cancellation through <paramref name="ct"/> also gives null.</remarks>
    public async Task<byte[]?> SendRequestAsync(SwimEndpoint to, byte[] request, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Volatile.Read(ref _disposed) != 0)
        {
            return null; // closed
        }

        if (request.Length > StreamFrames.MaxFrameBytes)
        {
            UdpTransportLog.RequestFailed(_logger, to.ToString(), $"{request.Length} bytes > {StreamFrames.MaxFrameBytes}");
            return null;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return null; // already expired
        }

        if (!TryEndPoint(to, out IPEndPoint? ep))
        {
            UdpTransportLog.RequestFailed(_logger, to.ToString(), "not an IP address and port");
            return null;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct, _closing.Token);
        limit.CancelAfter(timeout);
        try
        {
            using Socket socket = new(ep.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(ep, limit.Token).ConfigureAwait(false);
            await using NetworkStream stream = new(socket, ownsSocket: false);
            await StreamFrames.WriteAsync(stream, request, limit.Token).ConfigureAwait(false);
            return await StreamFrames.ReadAsync(stream, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException
                                       or InvalidDataException or ObjectDisposedException)
        {
            string reason = ex is OperationCanceledException ? (ct.IsCancellationRequested ? "cancelled" : "timed out") : ex.Message;
            UdpTransportLog.RequestFailed(_logger, to.ToString(), reason);
            return null;
        }
    }

    /// <summary>Closes both sockets and waits for the receive, accept and connection loops to end. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _closing.Cancel();
        _udp.Dispose();
        _tcp.Dispose();
        try
        {
            await Task.WhenAll(_receiveLoop, _acceptLoop).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            UdpTransportLog.HandlerFailed(_logger, ex); // loops catch everything; this is only a safety net
        }

        // Connections in flight end on the cancelled token; wait briefly so none outlives the transport.
        for (int i = 0; i < 100 && Volatile.Read(ref _inFlight) > 0; i++)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        UdpTransportLog.Closed(_logger, Local.ToString());
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[ReceiveBufferBytes];
        EndPoint any = new IPEndPoint(_udp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        CancellationToken token = _closing.Token;
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return; // closing
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                UdpTransportLog.ReceiveError(_logger, ex.SocketErrorCode.ToString());
                if (ex.SocketErrorCode != SocketError.ConnectionReset)
                {
                    await PauseAsync(token).ConfigureAwait(false); // unexpected error: do not spin on it
                }

                continue; // e.g. ConnectionReset from an ICMP port unreachable
            }

            byte[] packet = buffer.AsSpan(0, result.ReceivedBytes).ToArray();
            Deliver(ToSwimEndpoint(result.RemoteEndPoint), packet);
        }
    }

    private static async Task PauseAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(10, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // closing; the loop condition ends it
        }
    }

    private void Deliver(SwimEndpoint from, byte[] packet)
    {
        lock (_handlerGate)
        {
            if (_onPacket is null || Volatile.Read(ref _disposed) != 0)
            {
                return; // not attached or closed
            }

            try
            {
                _onPacket(from, packet);
            }
            catch (Exception ex)
            {
                UdpTransportLog.HandlerFailed(_logger, ex);
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken token = _closing.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return; // closing
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                UdpTransportLog.AcceptError(_logger, ex.SocketErrorCode.ToString());
                await PauseAsync(token).ConfigureAwait(false); // do not spin on a failing accept
                continue;
            }

            if (!_connectionSlots.Wait(0))
            {
                UdpTransportLog.TooManyConnections(_logger, client.RemoteEndPoint?.ToString() ?? "?", MaxConcurrentRequests);
                client.Dispose();
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            _ = ServeAsync(client, token);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken closing)
    {
        SwimEndpoint from = client.RemoteEndPoint is IPEndPoint remote ? ToSwimEndpoint(remote) : new SwimEndpoint("?", 0);
        try
        {
            using (client)
            await using (NetworkStream stream = new(client, ownsSocket: false))
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(closing))
            {
                limit.CancelAfter(RequestReadTimeout);
                byte[]? request = await StreamFrames.ReadAsync(stream, limit.Token).ConfigureAwait(false);
                if (request is null)
                {
                    return; // connected and closed without a request
                }

                byte[]? response = Handle(from, request);
                if (response is null || response.Length > StreamFrames.MaxFrameBytes)
                {
                    return; // no answer: close
                }

                limit.CancelAfter(RequestReadTimeout);
                await StreamFrames.WriteAsync(stream, response, limit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException
                                       or InvalidDataException or ObjectDisposedException)
        {
            UdpTransportLog.IncomingRequestDropped(_logger, from.ToString(), ex.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _connectionSlots.Release();
        }
    }

    private byte[]? Handle(SwimEndpoint from, byte[] request)
    {
        lock (_handlerGate)
        {
            if (_onRequest is null || Volatile.Read(ref _disposed) != 0)
            {
                return null; // not attached or closed
            }

            try
            {
                return _onRequest(from, request);
            }
            catch (Exception ex)
            {
                UdpTransportLog.HandlerFailed(_logger, ex);
                return null;
            }
        }
    }

    private static bool TryEndPoint(SwimEndpoint to, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? ep)
    {
        ep = null;
        if (to.Port is < 1 or > 65_535 || !IPAddress.TryParse(to.Address, out IPAddress? ip))
        {
            return false;
        }

        ep = new IPEndPoint(ip, to.Port);
        return true;
    }

    private static SwimEndpoint ToSwimEndpoint(EndPoint endPoint)
    {
        var ip = (IPEndPoint)endPoint;
        IPAddress address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        return new SwimEndpoint(address.ToString(), ip.Port);
    }
}
