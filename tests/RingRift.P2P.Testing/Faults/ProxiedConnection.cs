using System.Buffers;
using System.Net.Sockets;

namespace RingRift.P2P.Testing.Faults;

/// <summary>
/// One connection through a <see cref="FaultProxy"/>: the accepted client socket, the socket to the
/// target, and two pumps copying between them with one pooled buffer each.
/// </summary>
internal sealed class ProxiedConnection
{
    /// <summary>Largest chunk one receive takes; also the pooled buffer size per direction.</summary>
    internal const int ChunkSize = 64 * 1024;

    private const int Open = 0;
    private const int Closed = 1;

    private readonly FaultProxy _proxy;
    private readonly Socket _client;
    private readonly Socket _upstream;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stop = new();
    private int _state = Open;

    internal ProxiedConnection(FaultProxy proxy, Socket client, Socket upstream, string? source, TimeProvider timeProvider)
    {
        _proxy = proxy;
        _client = client;
        _upstream = upstream;
        _timeProvider = timeProvider;
        Source = source;
    }

    /// <summary>The label the identify function gave (null: unknown).</summary>
    internal string? Source { get; }

    /// <summary>Forwards both ways until either side closes or the connection is reset.</summary>
    internal async Task RunAsync()
    {
        Task toTarget = PumpAsync(_client, _upstream);
        Task toClient = PumpAsync(_upstream, _client);
        await Task.WhenAny(toTarget, toClient).ConfigureAwait(false);
        CloseGracefully();
        await Task.WhenAll(toTarget, toClient).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>
    /// Resets both sockets (linger 0) and stops the pumps; true when this call closed the connection,
    /// false when it was already closed.
    /// </summary>
    internal bool Reset()
    {
        if (Interlocked.Exchange(ref _state, Closed) != Open) return false; // already closed
        CancelPumps();
        FaultProxy.ResetSocket(_client);
        FaultProxy.ResetSocket(_upstream);
        return true;
    }

    private void CloseGracefully()
    {
        if (Interlocked.Exchange(ref _state, Closed) != Open) return; // reset or closed already
        CancelPumps();
        _client.Dispose();
        _upstream.Dispose();
    }

    private void CancelPumps()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // pumps already finished
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        CancellationToken ct = _stop.Token;
        try
        {
            while (true)
            {
                int received = await from.ReceiveAsync(buffer.AsMemory(0, ChunkSize), SocketFlags.None, ct).ConfigureAwait(false);
                if (received == 0) return; // that side closed

                TimeSpan delay = _proxy.Delay;
                if (delay > TimeSpan.Zero) await Task.Delay(delay, _timeProvider, ct).ConfigureAwait(false);

                int sent = 0;
                while (sent < received)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, received - sent), SocketFlags.None, ct).ConfigureAwait(false);
                }

                _proxy.AddForwardedBytes(received);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // a side failed or the connection is being closed: RunAsync closes both
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
