using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RingRift.P2P.Testing.Processes;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// A <c>ringrift-p2p run</c> node process inside one host of a <see cref="NetnsTestBed"/>, bound to the
/// host's address. Every host has a network stack of its own, so every node uses the same ports
/// (<see cref="HttpPort"/>, <see cref="SwimPort"/>). The test process reads it over the bridge from the
/// observer's address, with a client that never goes through an HTTP proxy.
/// </summary>
public sealed class NetnsNode
{
    /// <summary>Every node's HTTP port.</summary>
    public const int HttpPort = 8770;

    /// <summary>Every node's SWIM port (UDP and TCP).</summary>
    public const int SwimPort = 7947;

    /// <summary>Bound of a wait on node processes (start-up included), sized for a loaded 2-core machine.</summary>
    public static readonly TimeSpan ProcessWait = TimeSpan.FromSeconds(90);

    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    private NetnsNode(string id, NetnsHost host, NetnsProcess process)
    {
        Id = id;
        Host = host;
        Process = process;
    }

    /// <summary>The node id: <c>node-&lt;host index&gt;</c> unless the caller named it.</summary>
    public string Id { get; }

    /// <summary>The host it runs in.</summary>
    public NetnsHost Host { get; }

    /// <summary>Its process.</summary>
    public NetnsProcess Process { get; }

    /// <summary>Its HTTP API, at the host's address.</summary>
    public string Url => $"http://{Host.Address}:{HttpPort}";

    /// <summary>
    /// Starts <paramref name="program"/> in <paramref name="host"/> with SWIM on (<c>swim</c> membership) and
    /// the given hosts' SWIM ports as seeds (none: a node alone), data and log under <paramref name="root"/>;
    /// the RINGRIFT_ environment is exactly <paramref name="settings"/> (see <see cref="ChildEnvironment"/>).
    /// <paramref name="id"/> defaults to <c>node-&lt;host index&gt;</c>; a node started again in the same host
    /// takes a new one, so the others see a new member rather than a dead one coming back.
    /// </summary>
    public static NetnsNode StartSwim(NetnsTestBed bed, NetnsHost host, IEnumerable<NetnsHost> seeds, string root, NetnsProgram program,
        IReadOnlyDictionary<string, string?>? settings = null, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(bed);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(program);
        id ??= string.Create(CultureInfo.InvariantCulture, $"node-{host.Index}");
        var environment = new Dictionary<string, string?>
        {
            ["RINGRIFT_SWIM_ENABLED"] = "true",
            ["RINGRIFT_MEMBERSHIP_MODE"] = "swim",
        };
        if (settings is not null) foreach (var (name, value) in settings) environment[name] = value;
        List<string> args = ["run", "--node-id", id, "--host", host.Address, "--port", HttpPort.ToString(CultureInfo.InvariantCulture),
            "--data-dir", Path.Combine(root, id), "--swim-port", SwimPort.ToString(CultureInfo.InvariantCulture)];
        var seedList = string.Join(',', seeds.Where(s => s != host).Select(s => $"{s.Address}:{SwimPort}"));
        if (seedList.Length > 0) args.AddRange(["--swim-seeds", seedList]);
        var childEnvironment = ChildEnvironment.Of(environment);
        childEnvironment["DOTNET_NOLOGO"] = "1";
        var process = bed.Start(host, program.File, [.. program.Prefix, .. args], Path.Combine(root, id + ".log"), childEnvironment);
        return new NetnsNode(id, host, process);
    }

    /// <summary>
    /// Starts a node in <paramref name="host"/> with its id, address, <see cref="HttpPort"/> and data dir
    /// (under <paramref name="root"/>, kept across restarts) followed by <paramref name="args"/>; the
    /// environment is exactly <paramref name="settings"/> (see <see cref="ChildEnvironment"/>). Its log is
    /// appended to, so a restarted node's log goes on where the last one ended.
    /// </summary>
    public static NetnsNode Start(NetnsTestBed bed, NetnsHost host, IEnumerable<string> args, string root, NetnsProgram program,
        IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(program);
        var id = string.Create(CultureInfo.InvariantCulture, $"node-{host.Index}");
        List<string> all = ["run", "--node-id", id, "--host", host.Address, "--port", HttpPort.ToString(CultureInfo.InvariantCulture),
            "--data-dir", Path.Combine(root, id), .. args];
        var environment = ChildEnvironment.Of(settings);
        environment["DOTNET_NOLOGO"] = "1";
        return new NetnsNode(id, host, bed.Start(host, program.File, [.. program.Prefix, .. all], Path.Combine(root, id + ".log"), environment));
    }

    /// <summary>GET <paramref name="path"/> from the observer; the parsed JSON of a 200, else throws.</summary>
    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url + path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Client.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false))
            ?? throw new InvalidOperationException($"{Id} answered {path} with null");
    }

    /// <summary>POST <paramref name="body"/> to <paramref name="path"/> from the observer; the parsed JSON of a 2xx, else throws naming the status and the answer.</summary>
    public async Task<JsonNode> PostJsonAsync(string path, JsonNode body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url + path) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        using var response = await Client.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{Id} answered POST {path} with {(int)response.StatusCode}: {text}", null, response.StatusCode);
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"{Id} answered POST {path} with null");
    }

    /// <summary>Waits until the node answers /status, naming its log's tail if it does not.</summary>
    public async Task WaitUntilServingAsync()
    {
        try
        {
            await Eventually.Until(async () => (await GetJsonAsync("/status").ConfigureAwait(false))["node_id"]?.GetValue<string>() == Id,
                $"{Id} serving /status at {Url}", ProcessWait).ConfigureAwait(false);
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException($"{e.Message}\n{Id}'s log:\n{Process.LogTail()}");
        }
    }

    /// <summary>Its <c>/swim/members</c>: every peer's state (alive, suspect, dead, left) and when this node last changed it (Unix seconds), by peer id.</summary>
    public async Task<IReadOnlyDictionary<string, SwimPeerView>> SwimMembersAsync()
    {
        var members = (await GetJsonAsync("/swim/members").ConfigureAwait(false))["members"]?.AsArray()
            ?? throw new InvalidOperationException($"{Id}: /swim/members has no members");
        return members.OfType<JsonNode>().ToDictionary(
            m => m["node_id"]!.GetValue<string>(),
            m => new SwimPeerView(m["state"]!.GetValue<string>(), m["state_changed_at"]!.GetValue<double>()));
    }

    /// <summary>One of its SWIM protocol counters (<c>/swim/status</c> <c>protocol.&lt;name&gt;</c>, e.g. <c>probes</c>, <c>suspicions</c>).</summary>
    public async Task<long> SwimCounterAsync(string name) =>
        (await GetJsonAsync("/swim/status").ConfigureAwait(false))["protocol"]?[name]?.GetValue<long>()
            ?? throw new InvalidOperationException($"{Id}: /swim/status has no protocol.{name}");

    /// <summary>Its SWIM push-pull period (<c>/swim/status</c> <c>timings.push_pull_interval_seconds</c>).</summary>
    public async Task<TimeSpan> SwimPushPullIntervalAsync() =>
        TimeSpan.FromSeconds((await GetJsonAsync("/swim/status").ConfigureAwait(false))["timings"]?["push_pull_interval_seconds"]?.GetValue<double>()
            ?? throw new InvalidOperationException($"{Id}: /swim/status has no timings.push_pull_interval_seconds"));

    /// <summary>
    /// How many datagrams its SWIM port dropped as undecodable for <paramref name="reason"/> (a
    /// <c>DecodeError</c> name; <c>/swim/status</c> <c>packets.dropped_decode_by_error</c>), 0 when none.
    /// One receive loop counts datagrams in the order the socket got them.
    /// </summary>
    public async Task<long> SwimDecodeDropsAsync(string reason) =>
        (await GetJsonAsync("/swim/status").ConfigureAwait(false))["packets"]?["dropped_decode_by_error"]?[reason]?.GetValue<long>() ?? 0;

    /// <inheritdoc/>
    public override string ToString() => Id;
}

/// <summary>One peer as a node's SWIM sees it: alive, suspect, dead or left, and since when (Unix seconds, that node's clock).</summary>
public sealed record SwimPeerView(string State, double StateChangedAt);
