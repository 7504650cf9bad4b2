using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Tests.Notifications;

/// <summary>One request as the loopback server received it.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 with an OS-chosen free port, built on
/// <see cref="TcpListener"/> so a test can also make it never answer. Each connection carries one
/// request (the client opens a new connection for each attempt) and is closed after the response.
/// <c>respond(n)</c> gives the status for the n-th connection (1-based), or null to hold it open
/// without answering.
/// </summary>
public sealed class LoopbackWebhookServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, int?> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _count;

    public LoopbackWebhookServer(Func<int, int?> respond)
    {
        _respond = respond;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>A server answering every request with <paramref name="status"/>.</summary>
    public static LoopbackWebhookServer Always(int? status) => new(_ => status);

    /// <summary>A server answering the n-th request with <c>statuses[n-1]</c> and the last one after that.</summary>
    public static LoopbackWebhookServer Sequence(params int[] statuses) => new(n => statuses[Math.Min(n, statuses.Length) - 1]);

    public int Port { get; }

    public string Url(string path = "/hook") => $"http://127.0.0.1:{Port}{path}";

    /// <summary>Requests whose headers and body were read completely, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    /// <summary>Connections accepted so far, one per attempt (counted even when never answered).</summary>
    public int ConnectionCount => Volatile.Read(ref _count);

    /// <summary>
    /// Waits until at least <paramref name="expected"/> connections were accepted and returns the count
    /// then (a test asserts it is exactly <paramref name="expected"/>): an attempt the client abandoned
    /// on timeout may be accepted after the client returned. Fails the test when they never come.
    /// </summary>
    public Task<int> ConnectionsAfterAsync(int expected) =>
        Eventually.Until(() => ConnectionCount, count => count >= expected, $"{expected} connection(s) accepted by the webhook server on port {Port}");

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            var n = Interlocked.Increment(ref _count);
            _connections.Add(ServeAsync(client, n));
        }
    }

    private async Task ServeAsync(TcpClient client, int n)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var request = await ReadRequestAsync(stream, _stop.Token);
            _requests.Enqueue(request);
            var status = _respond(n);
            if (status is null)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token); // never answer
                return;
            }
            var response = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 {status} Test\r\nContent-Length: 2\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nok");
            await stream.WriteAsync(response, _stop.Token);
            await stream.FlushAsync(_stop.Token);
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // the client gave up (timeout): nothing to answer
        }
    }

    private static async Task<ReceivedRequest> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk, ct);
            if (read == 0)
                throw new IOException("connection closed before the request headers ended");
            buffer.AddRange(chunk.AsSpan(0, read));
        }
        var head = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray());
        var lines = head.Split("\r\n");
        var start = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text) : 0;
        var body = buffer.Skip(headerEnd + 4).ToList();
        while (body.Count < length)
        {
            var read = await stream.ReadAsync(chunk, ct);
            if (read == 0)
                throw new IOException("connection closed before the request body ended");
            body.AddRange(chunk.AsSpan(0, read));
        }
        return new ReceivedRequest(start[0], start[1], headers, Encoding.UTF8.GetString(body.ToArray(), 0, length));
    }

    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
                return i;
        }
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_connections);
        _stop.Dispose();
    }
}
