using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Tests.Sync;

/// <summary>The data dir manifest: what it lists, and that hashes are cached by (path, size, mtime).</summary>
public sealed class DataManifestTests
{
    [Fact]
    public async Task Scan_ListsGamesAndModelsWithSizeSha256AndMtime_AndSkipsEverythingElse()
    {
        using var data = new TempDir();
        var gamesSha = data.WriteRandom("games/hex8_2p/a.jsonl", 3000, seed: 1);
        var modelSha = data.WriteRandom("models/hex8_2p/m.bin", 500, seed: 2);
        data.WriteRandom("games/hex8_2p/b.jsonl.partial", 10);
        data.WriteRandom("games/hex8_2p/.tmp", 10);
        data.WriteRandom("games/.cache/x", 10);
        data.WriteRandom("work_queue.db", 10);
        data.WriteRandom("raft/log", 10);
        var mtime = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        File.SetLastWriteTimeUtc(data.Full("games/hex8_2p/a.jsonl"), mtime.UtcDateTime);

        var files = await new DataManifest(data.Path).ScanAsync();

        Assert.Equal(
            [new ManifestEntry("games/hex8_2p/a.jsonl", 3000, gamesSha, mtime.ToUnixTimeSeconds()),],
            files.Where(f => f.Path.StartsWith("games/")).ToList());
        Assert.Equal(["games/hex8_2p/a.jsonl", "models/hex8_2p/m.bin"], files.Select(f => f.Path));
        Assert.Equal(modelSha, files[1].Sha256);
    }

    [Fact]
    public async Task Rescan_HashesOnlyNewOrChangedFiles()
    {
        using var data = new TempDir();
        data.WriteRandom("games/c/a", 1000, seed: 1);
        data.WriteRandom("games/c/b", 1000, seed: 2);
        var manifest = new DataManifest(data.Path);

        await manifest.ScanAsync();
        Assert.Equal(2, manifest.FilesHashed);
        await manifest.ScanAsync();
        Assert.Equal(2, manifest.FilesHashed); // nothing changed: nothing rehashed

        var newSha = data.WriteRandom("games/c/b", 1200, seed: 3); // size and mtime change
        data.WriteRandom("games/c/new", 10, seed: 4);
        var files = await manifest.ScanAsync();
        Assert.Equal(4, manifest.FilesHashed);
        Assert.Equal(newSha, files.Single(f => f.Path == "games/c/b").Sha256);

        File.SetLastWriteTimeUtc(data.Full("games/c/a"), DateTime.UtcNow.AddMinutes(-5)); // same size, new mtime
        await manifest.ScanAsync();
        Assert.Equal(5, manifest.FilesHashed);
    }

    [Fact]
    public async Task Scan_WithAPrefix_ListsOnlyThatConfig()
    {
        using var data = new TempDir();
        data.WriteRandom("games/hex8_2p/a", 10);
        data.WriteRandom("games/hex8_2pX/a", 10);
        data.WriteRandom("games/sq8_3p/a", 10);
        data.WriteRandom("models/hex8_2p/m", 10);

        var files = await new DataManifest(data.Path).ScanAsync("games/hex8_2p/");

        Assert.Equal(["games/hex8_2p/a"], files.Select(f => f.Path));
    }

    [Fact]
    public async Task Scan_DoesNotFollowSymbolicLinks()
    {
        using var data = new TempDir();
        using var outside = new TempDir("outside");
        outside.WriteRandom("secret", 10);
        data.WriteRandom("games/c/a", 10);
        Directory.CreateSymbolicLink(data.Full("games/linked"), outside.Path);
        File.CreateSymbolicLink(data.Full("games/c/leak"), outside.Full("secret"));

        var files = await new DataManifest(data.Path).ScanAsync();

        Assert.Equal(["games/c/a"], files.Select(f => f.Path));
    }

    [Fact]
    public async Task Scan_RefusesAPrefixOutsideTheRoots()
    {
        using var data = new TempDir();
        await Assert.ThrowsAsync<PathRefusedException>(() => new DataManifest(data.Path).ScanAsync("../"));
    }
}
