using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Jobs;

namespace RingRift.P2P.Node.Tests.Jobs;

public sealed class JobResultFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-result-").FullName;
    private string DataDir => Path.Combine(_root, "data");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(DataDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public async Task GamesFile_IsHashedIntoSha256()
    {
        var expected = Write("games/hex8_2p/w1.jsonl", "{\"game\": 1}\n");
        var result = new JsonObject { ["games_file"] = "games/hex8_2p/w1.jsonl", ["games_completed"] = 1 };
        await JobResultFiles.AddSha256Async(result, DataDir, CancellationToken.None);
        Assert.Equal(expected, result["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task ModelPath_IsHashed_WhenThereIsNoGamesFile()
    {
        var expected = Write("models/hex8_2p/m.pt", "weights");
        var result = new JsonObject { ["model_path"] = "models/hex8_2p/m.pt" };
        await JobResultFiles.AddSha256Async(result, DataDir, CancellationToken.None);
        Assert.Equal(expected, result["sha256"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("games/hex8_2p/missing.jsonl")]
    [InlineData("../outside.txt")]
    public async Task MissingOrOutsideFile_LeavesTheResultAlone(string path)
    {
        File.WriteAllText(Path.Combine(_root, "outside.txt"), "x"); // exists, but beside the data dir
        var result = new JsonObject { ["games_file"] = path };
        await JobResultFiles.AddSha256Async(result, DataDir, CancellationToken.None);
        Assert.False(result.ContainsKey("sha256"));
    }

    [Fact]
    public async Task JobsOwnSha256_IsKept()
    {
        Write("games/hex8_2p/w1.jsonl", "data");
        var result = new JsonObject { ["games_file"] = "games/hex8_2p/w1.jsonl", ["sha256"] = "abc" };
        await JobResultFiles.AddSha256Async(result, DataDir, CancellationToken.None);
        Assert.Equal("abc", result["sha256"]!.GetValue<string>());
    }
}
