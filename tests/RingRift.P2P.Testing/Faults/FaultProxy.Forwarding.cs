using System.Net;
using System.Net.Sockets;

namespace RingRift.P2P.Testing.Faults;

/// <summary>Listening, per-connection identification and forwarding, shutdown.</summary>
public sealed partial class FaultProxy
{
    private const int ListenBacklog = 512;

    private readonly Func<IPEndPoint, IPEndPoint, string?> _identifySource;
    private readonly TimeProvider _timeProvider;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<Task> _handlers = [];
    private readonly Task _acceptLoop;
    private int _disposed;

    /// <summary>
    /// Starts a proxy on 127.0.0.1 (free port) forwarding to <paramref name="target"/>.
    /// </summary>
    /// <param name="target">Where to forward each connection.</param>
    /// <param name="identifySource">Labels a connection from its client endpoint (the accepted
    /// socket's remote end); null means unknown. Exceptions count as unknown.</param>
    /// <param name="timeProvider">Clock for <see cref="SetDelay"/> waits; <see cref="TimeProvider.System"/> by default.</param>
    public FaultProxy(IPEndPoint target, Func<IPEndPoint, string?> identifySource, TimeProvider? timeProvider = null)
        : this(target, WithoutServer(identifySource), timeProvider)
    {
    }

    /// <summary>
    /// Starts a proxy on 127.0.0.1 (free port) forwarding to <paramref name="target"/>, labelling each
    /// connection from both ends: (client endpoint, this proxy's endpoint) — what
    /// <see cref="LoopbackConnectionOwner.Identifier"/> needs to match a socket row exactly.
    /// </summary>
    public FaultProxy(IPEndPoint target, Func<IPEndPoint, IPEndPoint, string?> identifySource, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(identifySource);
        if (target.Port == 0)
            throw new ArgumentOutOfRangeException(nameof(target), target, $"{nameof(target)} is {target}; allowed: an endpoint with a port in 1..65535.");

        Target = target;
        _identifySource = identifySource;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(ListenBacklog);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }

        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Forwarded connections open now.</summary>
    public int ActiveConnections
    {
        get
        {
            lock (_gate) return _connections.Count;
        }
    }

    /// <summary>
    /// Stops accepting, resets every open connection and waits until all forwarding has ended.
    /// Idempotent.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return; // second call
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);

        Task[] handlers;
        ProxiedConnection[] open;
        lock (_gate)
        {
            handlers = _handlers.ToArray();
            open = _connections.ToArray();
        }

        foreach (ProxiedConnection connection in open) connection.Reset();
        await Task.WhenAll(handlers).ConfigureAwait(false);
        _stop.Dispose();
    }

    private static Func<IPEndPoint, IPEndPoint, string?> WithoutServer(Func<IPEndPoint, string?> identifySource)
    {
        ArgumentNullException.ThrowIfNull(identifySource);
        return (client, _) => identifySource(client);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return; // disposing
            }
            catch (SocketException)
            {
                continue; // the client gave up before accept (ECONNABORTED and the like)
            }

            Interlocked.Increment(ref _accepted);
            var handler = Task.Run(() => HandleAsync(client));
            lock (_gate) _handlers.Add(handler);
            _ = handler.ContinueWith(
                done =>
                {
                    lock (_gate) _handlers.Remove(done);
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(Socket client)
    {
        string? source = Identify(client);
        if (IsBlocked(source) || _stop.IsCancellationRequested)
        {
            Refuse(client);
            return;
        }

        var upstream = new Socket(Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            client.NoDelay = true;
            upstream.NoDelay = true;
            await upstream.ConnectAsync(Target, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // target down (or disposing): the client sees a reset, as it would without the proxy
            ResetSocket(client);
            upstream.Dispose();
            return;
        }

        var connection = new ProxiedConnection(this, client, upstream, source, _timeProvider);
        lock (_gate)
        {
            // a block may have arrived while connecting onward: check again where Block looks
            if (!IsBlockedLocked(source) && !_stop.IsCancellationRequested) _connections.Add(connection);
            else connection = null;
        }

        if (connection is null)
        {
            upstream.Dispose();
            Refuse(client);
            return;
        }

        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            lock (_gate) _connections.Remove(connection);
        }
    }

    private string? Identify(Socket client)
    {
        try
        {
            return _identifySource((IPEndPoint)client.RemoteEndPoint!, (IPEndPoint)client.LocalEndPoint!);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // an identification failure labels the source unknown
        }
    }

    private void Refuse(Socket client)
    {
        ResetSocket(client);
        Interlocked.Increment(ref _refused);
    }
}
