using RingRift.P2P.Election;
using Xunit;

namespace RingRift.P2P.Tests.Election;

public sealed class FileLeaseStateStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ringrift-store-{Guid.NewGuid():N}");

    private string FilePath => Path.Combine(_dir, "voter.json");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Load_ReturnsNull_WhenNothingWasSaved()
    {
        Assert.Null(new FileLeaseStateStore(FilePath).Load());
    }

    [Fact]
    public void Save_ThenLoad_RoundTrips_AndLeavesNoTempFile()
    {
        var state = new VoterState("n3", 7, DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_630_123), 9, "n2");
        var store = new FileLeaseStateStore(FilePath);

        store.Save(state);

        Assert.Equal(state, new FileLeaseStateStore(FilePath).Load());
        Assert.False(File.Exists(FilePath + ".tmp"));
    }

    [Fact]
    public void Save_RoundsExpiryUp_SoAReloadNeverShortensAGrant()
    {
        var precise = DateTimeOffset.FromUnixTimeMilliseconds(1_000).AddTicks(1);
        var store = new FileLeaseStateStore(FilePath);

        store.Save(new VoterState("a", 1, precise, 1, "a"));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_001), store.Load()!.ExpiresAt);
    }

    [Fact]
    public void Save_OfAReleasedGrant_KeepsTheEpochs()
    {
        var store = new FileLeaseStateStore(FilePath);

        store.Save(new VoterState(null, 4, null, 6, "b"));

        Assert.Equal(new VoterState(null, 4, null, 6, "b"), store.Load());
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("null")]
    [InlineData("{\"holder\":\"a\"}")]
    [InlineData("{\"holder\":null,\"holder_epoch\":5,\"expires_at_unix_ms\":null,\"highest_epoch\":2,\"highest_epoch_holder\":null}")]
    public void Load_OfACorruptFile_ThrowsNamingThePath(string content)
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(FilePath, content);

        var ex = Assert.Throws<InvalidDataException>(() => new FileLeaseStateStore(FilePath).Load());

        Assert.Contains(FilePath, ex.Message);
    }

    [Fact]
    public void Save_WritesTheFileFormat_IndentedSnakeCase()
    {
        // voter_state.json as every build so far has written it: a node reads the file an older or newer build left.
        new FileLeaseStateStore(FilePath).Save(new VoterState("n3", 7, DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_630_123), 9, null));

        Assert.Equal("""
            {
              "holder": "n3",
              "holder_epoch": 7,
              "expires_at_unix_ms": 1767225630123,
              "highest_epoch": 9,
              "highest_epoch_holder": null
            }
            """, File.ReadAllText(FilePath).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Load_ReadsNamesInAnyCase_AndNumbersWrittenAsStrings()
    {
        // The file is read with the web defaults (JsonSerializerDefaults.Web), as before its contract was generated.
        Directory.CreateDirectory(_dir);
        File.WriteAllText(FilePath,
            "{\"Holder\":\"n1\",\"HOLDER_EPOCH\":\"4\",\"expires_at_unix_ms\":null,\"highest_epoch\":\"6\",\"Highest_Epoch_Holder\":\"n2\"}");

        Assert.Equal(new VoterState("n1", 4, null, 6, "n2"), new FileLeaseStateStore(FilePath).Load());
    }
}
