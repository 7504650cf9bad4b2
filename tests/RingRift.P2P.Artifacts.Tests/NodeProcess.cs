using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Artifacts.Tests;

/// <summary>
/// A node (<c>ringrift-p2p run</c>) started from a release executable on 127.0.0.1, natively or through an
/// emulator, with its own data folder; and the HTTP calls the tests make to it.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(20) };

    private NodeProcess(Launched process, string nodeId, int port)
    {
        Process = process;
        NodeId = nodeId;
        Url = $"http://127.0.0.1:{port}/";
    }

    public Launched Process { get; }

    public string NodeId { get; }

    public string Url { get; }

    /// <summary>
    /// Starts <paramref name="executable"/> <c>run</c> as <paramref name="nodeId"/> on <paramref name="port"/>, seeded
    /// with <paramref name="peers"/> (host:port); through <paramref name="emulator"/> (the emulator and its
    /// arguments, the executable after them) when given.
    /// </summary>
    public static NodeProcess Start(string nodeId, string executable, int port, string dataDir, IEnumerable<string> peers,
        IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? emulator = null)
    {
        List<string> args = ["run", "--node-id", nodeId, "--host", "127.0.0.1", "--port", port.ToString(), "--data-dir", dataDir];
        var seeds = string.Join(',', peers);
        if (seeds.Length > 0) args.AddRange(["--peers", seeds]);
        var process = emulator is null
            ? Launched.Start(nodeId, executable, args, dataDir, environment)
            : Launched.Start(nodeId, emulator[0], [.. emulator.Skip(1), executable, .. args], dataDir, environment);
        return new NodeProcess(process, nodeId, port);
    }

    /// <summary>Waits until the node answers <c>GET /status</c> with 200; returns how long that took from now.</summary>
    public async Task<TimeSpan> WaitServingAsync(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        await WaitAsync(async () => Process.HasExited ? throw new InvalidOperationException($"exited with {Process.ExitCode}") : (await GetAsync("status")).Status,
            status => status == 200, "GET /status answering 200", within);
        return clock.Elapsed;
    }

    /// <summary><see cref="Eventually.Until{T}(Func{Task{T}}, Func{T, bool}, string, TimeSpan?)"/>, with the node's output on a timeout.</summary>
    public async Task<T> WaitAsync<T>(Func<Task<T>> observe, Func<T, bool> done, string what, TimeSpan within)
    {
        try
        {
            return await Eventually.Until(observe, done, $"{NodeId}: {what}", within);
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException($"{e.Message}\n{Process.Tail()}");
        }
    }

    public async Task<(int Status, JsonNode? Json)> GetAsync(string path)
    {
        using var answer = await Client.GetAsync(Url + path);
        return ((int)answer.StatusCode, await ReadAsync(answer));
    }

    public async Task<(int Status, JsonNode? Json)> PostAsync(string path, JsonNode body)
    {
        using var answer = await Client.PostAsJsonAsync(Url + path, body);
        return ((int)answer.StatusCode, await ReadAsync(answer));
    }

    public void Dispose() => Process.Dispose();

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage answer)
    {
        var text = await answer.Content.ReadAsStringAsync();
        try { return text.Length == 0 ? null : JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return JsonValue.Create(text); }
    }
}
