using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Sync;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Sync;

/// <summary>GET /sync/manifest, /sync/file and /sync/status over a real Kestrel on 127.0.0.1.</summary>
public sealed class SyncApiTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Manifest_ListsTheFilesWithTotals_AndFiltersByPrefix()
    {
        using var data = new TempDir();
        var sha = data.WriteRandom("games/hex8_2p/a.jsonl", 1000);
        data.WriteRandom("models/hex8_2p/m.bin", 24);
        await using var server = await SyncServer.StartAsync(data.Path, nodeId: "node-a");

        var all = JsonNode.Parse(await Http.GetStringAsync(new Uri(server.BaseUri, "sync/manifest")))!;
        Assert.Equal("node-a", all["node_id"]!.GetValue<string>());
        Assert.Equal(1024, all["total_bytes"]!.GetValue<long>());
        Assert.Equal(2, all["files"]!.AsArray().Count);
        var first = all["files"]![0]!;
        Assert.Equal("games/hex8_2p/a.jsonl", first["path"]!.GetValue<string>());
        Assert.Equal(sha, first["sha256"]!.GetValue<string>());
        Assert.Equal(1000, first["size"]!.GetValue<long>());
        Assert.True(first["mtime"]!.GetValue<long>() > 1_600_000_000);

        var models = JsonNode.Parse(await Http.GetStringAsync(new Uri(server.BaseUri, "sync/manifest?prefix=models/hex8_2p")))!;
        Assert.Equal(["models/hex8_2p/m.bin"], models["files"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()));

        var refused = await Http.GetAsync(new Uri(server.BaseUri, "sync/manifest?prefix=..%2Fraft"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("PATH_REFUSED", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task File_StreamsTheWholeFileWithLengthETagAndAcceptRanges()
    {
        using var data = new TempDir();
        var sha = data.WriteRandom("games/c/a.bin", 300_000);
        await using var server = await SyncServer.StartAsync(data.Path);
        await server.Sync.LocalManifestAsync(null, CancellationToken.None); // hashes it, so the ETag is known

        using var response = await Http.GetAsync(new Uri(server.BaseUri, "sync/file?path=games/c/a.bin"));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(300_000, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{sha}\"", response.Headers.ETag!.Tag);
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        Assert.Equal(sha, SyncTestData.Sha256Hex(body));
    }

    [Theory]
    [InlineData("bytes=1000-", 1000, 9999, 9000)]
    [InlineData("bytes=10-19", 10, 19, 10)]
    [InlineData("bytes=-100", 9900, 9999, 100)]
    public async Task File_ARangeIsAnswered206WithContentRange(string range, long first, long last, int length)
    {
        using var data = new TempDir();
        data.WriteRandom("games/c/a.bin", 10_000, seed: 7);
        var bytes = File.ReadAllBytes(data.Full("games/c/a.bin"));
        await using var server = await SyncServer.StartAsync(data.Path);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, "sync/file?path=games/c/a.bin"));
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(new ContentRangeHeaderValue(first, last, 10_000), response.Content.Headers.ContentRange);
        Assert.Equal(length, response.Content.Headers.ContentLength);
        Assert.Equal(bytes[(int)first..(int)(last + 1)], body);
    }

    [Theory]
    [InlineData("bytes=10000-")]
    [InlineData("bytes=50-10")]
    [InlineData("bytes=0-1,5-9")]
    [InlineData("lines=1-")]
    public async Task File_ABadRangeIsAnswered416WithTheLength(string range)
    {
        using var data = new TempDir();
        data.WriteRandom("games/c/a.bin", 10_000);
        await using var server = await SyncServer.StartAsync(data.Path);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, "sync/file?path=games/c/a.bin"));
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */10000", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal("RANGE_NOT_SATISFIABLE", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("../secret.txt", "../secret.txt")]
    [InlineData("..%2Fsecret.txt", "../secret.txt")] // URL-encoded ../
    [InlineData("games%2F..%2F..%2Fsecret.txt", "games/../../secret.txt")]
    [InlineData("%2Fetc%2Fpasswd", "/etc/passwd")]
    [InlineData("games%5C..%5C..%5Csecret.txt", "games\\..\\..\\secret.txt")]
    [InlineData("work_queue.db", "work_queue.db")]
    [InlineData("games/evil/secret.txt", "games/evil/secret.txt")] // a directory symlink out of the data dir
    [InlineData("models/leak.bin", "models/leak.bin")] // a file symlink out of the data dir
    public async Task File_TraversalIsRefused400NamingThePath(string query, string named)
    {
        using var parent = new TempDir("parent");
        Directory.CreateDirectory(parent.Full("data/games"));
        Directory.CreateDirectory(parent.Full("data/models"));
        parent.Write("secret.txt", "do not serve"u8.ToArray());
        parent.Write("data/work_queue.db", "queue"u8.ToArray());
        Directory.CreateSymbolicLink(parent.Full("data/games/evil"), parent.Path);
        File.CreateSymbolicLink(parent.Full("data/models/leak.bin"), parent.Full("secret.txt"));
        await using var server = await SyncServer.StartAsync(parent.Full("data"));

        using var response = await Http.GetAsync(new Uri(server.BaseUri + "sync/file?path=" + query));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("PATH_REFUSED", json["code"]!.GetValue<string>());
        Assert.Contains(named, json["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task File_AMissingFileIs404_AndAMissingPathIs400()
    {
        using var data = new TempDir();
        await using var server = await SyncServer.StartAsync(data.Path, nodeId: "node-a");

        using var missing = await Http.GetAsync(new Uri(server.BaseUri, "sync/file?path=games/c/none.bin"));
        var json = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("FILE_NOT_FOUND", json["code"]!.GetValue<string>());
        Assert.Contains("games/c/none.bin", json["error"]!.GetValue<string>());

        using var noPath = await Http.GetAsync(new Uri(server.BaseUri, "sync/file"));
        Assert.Equal(HttpStatusCode.BadRequest, noPath.StatusCode);
    }

    [Fact]
    public async Task WithAToken_EverySyncRouteNeedsIt()
    {
        using var data = new TempDir();
        data.WriteRandom("games/c/a.bin", 100);
        await using var server = await SyncServer.StartAsync(data.Path, token: "s3cret");

        foreach (var path in new[] { "sync/manifest", "sync/file?path=games/c/a.bin", "sync/status", "SYNC/status" })
        {
            using var without = await Http.GetAsync(new Uri(server.BaseUri, path));
            Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
            using var with = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        }
    }

    [Fact]
    public async Task Status_ShowsTheLimitAndWhatWasServed()
    {
        using var data = new TempDir();
        data.WriteRandom("games/c/a.bin", 5000);
        await using var server = await SyncServer.StartAsync(data.Path, bandwidth: 50_000_000, nodeId: "node-a");
        await Http.GetByteArrayAsync(new Uri(server.BaseUri, "sync/file?path=games/c/a.bin"));

        // The server counts a file once its last byte is written, which can be after the client has it all.
        var status = await Eventually.Until(async () => JsonNode.Parse(await Http.GetStringAsync(new Uri(server.BaseUri, "sync/status")))!,
            status => status["totals"]!["served_files"]!.GetValue<long>() > 0, "the server to count the file it served");

        Assert.Equal("node-a", status["node_id"]!.GetValue<string>());
        Assert.Equal(50_000_000, status["bandwidth_limit_bytes_per_second"]!.GetValue<long>());
        Assert.Equal(2, status["max_concurrent_pulls"]!.GetValue<int>());
        Assert.Equal(1, status["totals"]!["served_files"]!.GetValue<long>());
        Assert.Equal(5000, status["totals"]!["served_bytes"]!.GetValue<long>());
        Assert.Empty(status["in_progress"]!.AsArray());
    }
}
