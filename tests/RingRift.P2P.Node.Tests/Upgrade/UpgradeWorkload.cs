using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Tests.Upgrade;

/// <summary>
/// Clients that add, claim and complete work over HTTP against random live nodes while nodes are replaced,
/// and a sampler of every node's /status. Claims are made by worker ids no cluster node has, so nothing
/// requeues them: an item handed out twice is a double claim. A call with an unknown outcome (timeout, a
/// connection lost, a 5xx that does not prove nothing happened) is retried with its command id.
/// </summary>
public sealed class UpgradeWorkload(Func<IReadOnlyList<string>> liveUrls, int seed)
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>Items whose add was answered 200.</summary>
    public ConcurrentDictionary<string, bool> Added { get; } = new(StringComparer.Ordinal);

    /// <summary>Every claim answered with an item: (work id, worker).</summary>
    public ConcurrentQueue<(string WorkId, string Worker)> Claims { get; } = new();

    /// <summary>Items whose completion was answered 200.</summary>
    public ConcurrentDictionary<string, bool> Completed { get; } = new(StringComparer.Ordinal);

    /// <summary>Leaders seen acting, by epoch (Bully) or term (Raft): each should hold one node id.</summary>
    public ConcurrentDictionary<long, ConcurrentDictionary<string, bool>> LeadersByEpoch { get; } = new();

    public Task RunAsync(int clients, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c, stop))).Append(Task.Run(() => SampleAsync(stop))));

    private async Task ClientAsync(int index, CancellationToken stop)
    {
        var worker = $"upgrade-worker-{index}";
        var random = new Random(seed * 100 + index);
        var held = new List<string>();
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var roll = random.Next(100);
            if (roll < 40 || (held.Count == 0 && roll >= 70))
            {
                var workId = $"{worker}-{n++}";
                if (await CallAsync(HttpMethod.Post, "work/add", new JsonObject { ["work_id"] = workId, ["work_type"] = "selfplay" }, random, stop) is not null)
                    Added[workId] = true;
            }
            else if (roll < 70)
            {
                var answer = await CallAsync(HttpMethod.Get, "work/claim?node_id=" + worker, null, random, stop);
                if (answer?["status"]?.GetValue<string>() == "claimed" && answer["work"]?["work_id"]?.GetValue<string>() is { } id)
                {
                    Claims.Enqueue((id, worker));
                    held.Add(id);
                }
            }
            else
            {
                var workId = held[random.Next(held.Count)];
                held.Remove(workId);
                var body = new JsonObject { ["work_id"] = workId, ["node_id"] = worker, ["result"] = new JsonObject { ["by"] = worker } };
                if (await CallAsync(HttpMethod.Post, "work/complete", body, random, stop) is not null) Completed[workId] = true;
            }
        }
    }

    /// <summary>The answer of a 200, or null when the call was refused or gave up; retried with the same command id while the outcome is unknown.</summary>
    private async Task<JsonNode?> CallAsync(HttpMethod method, string path, JsonObject? body, Random random, CancellationToken stop)
    {
        if (body is not null) body["command_id"] = $"cmd-{Guid.NewGuid():N}";
        for (var attempt = 0; attempt < 40 && !stop.IsCancellationRequested; attempt++)
        {
            var urls = liveUrls();
            if (urls.Count == 0) { await Pause(stop); continue; }
            try
            {
                using var request = new HttpRequestMessage(method, urls[random.Next(urls.Count)].TrimEnd('/') + "/" + path);
                if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                using var response = await Client.SendAsync(request, stop);
                var text = await response.Content.ReadAsStringAsync(stop);
                var json = text.Length > 0 ? JsonNode.Parse(text) : null;
                var status = (int)response.StatusCode;
                if (status == 200) return json;
                if (status is 400 or 404 or 409) return null; // refused: nothing happened
                // 503 (no leader yet, not ready, a leader change) and the rest: the outcome may be unknown; the command id makes the retry safe
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException) { }
            await Pause(stop);
        }
        return null;
    }

    private static async Task Pause(CancellationToken stop)
    {
        try { await Task.Delay(100, stop); } catch (OperationCanceledException) { }
    }

    private async Task SampleAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var url in liveUrls())
            {
                try
                {
                    var status = JsonNode.Parse(await Client.GetStringAsync(url.TrimEnd('/') + "/status", stop))!;
                    if (status["is_leader"]?.GetValue<bool>() == true)
                        LeadersByEpoch.GetOrAdd(status["epoch"]!.GetValue<long>(), _ => new(StringComparer.Ordinal))[status["node_id"]!.GetValue<string>()] = true;
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException) { }
            }
            await Pause(stop);
        }
    }
}
