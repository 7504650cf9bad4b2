using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

/// <summary>Types that are not built in travel by name in the log; built-in ones keep the byte every earlier build wrote.</summary>
public sealed class NamedTypeCodecTests
{
    private static readonly JobType Gauntlet = JobType.Parse("gauntlet");

    [Fact]
    public void A_named_type_round_trips_in_add_claim_next_and_assign()
    {
        WorkCommand[] commands =
        [
            new AddWork("c1", 1, new NewWork { WorkId = "w1", WorkType = Gauntlet, Priority = 60 }),
            new ClaimNext("c2", 2, "n1", [JobType.Training, Gauntlet, JobType.Parse("gpu_cmaes")]),
            new AssignJob("c3", 3, "j1", "n1", Gauntlet, "w1"),
        ];

        var decoded = WorkCommandCodec.DecodeBatch(WorkCommandCodec.EncodeBatch(commands));

        Assert.Equal(Gauntlet, ((AddWork)decoded[0]).Work.WorkType);
        Assert.Equal([JobType.Training, Gauntlet, JobType.Parse("gpu_cmaes")], ((ClaimNext)decoded[1]).Capabilities!);
        Assert.Equal(Gauntlet, ((AssignJob)decoded[2]).JobType);
    }

    [Fact]
    public void A_built_in_type_is_still_written_as_its_number()
    {
        var builtIn = WorkCommandCodec.Encode(new AddWork("c", 1, new NewWork { WorkType = JobType.Evaluation }));
        var named = WorkCommandCodec.Encode(new AddWork("c", 1, new NewWork { WorkType = Gauntlet }));
        var typeOffset = 2 + 2 + 8 + 1; // header, "c", at, work_id presence (absent)

        Assert.Equal(2, builtIn[typeOffset]);
        Assert.Equal(WorkCommandCodec.NamedType, named[typeOffset]);
        Assert.Equal(builtIn.Length + 1 + "gauntlet".Length, named.Length); // the name's length byte and text instead of nothing
    }

    [Fact]
    public void Dependencies_travel_only_in_the_add_that_has_them()
    {
        var plain = WorkCommandCodec.Encode(new AddWork("c", 1, new NewWork { WorkId = "w", WorkType = JobType.Selfplay }));
        var dependent = WorkCommandCodec.Encode(new AddWork("c", 1, new NewWork { WorkId = "w", WorkType = JobType.Selfplay, DependsOn = WorkDependencies.Of(["a", "b"]) }));

        Assert.Equal(1, plain[1]);      // AddWork, as every earlier build wrote it
        Assert.Equal(13, dependent[1]); // AddWithDependencies
        Assert.Equal(["a", "b"], ((AddWork)WorkCommandCodec.Decode(dependent)).Work.DependsOn);
        Assert.Empty(((AddWork)WorkCommandCodec.Decode(plain)).Work.DependsOn);
    }

    [Theory]
    [InlineData("Has-Dash")]
    [InlineData("training")] // a built-in type must be written as its number
    public void A_bad_name_after_the_named_type_byte_is_a_format_error(string name)
    {
        var bytes = WorkCommandCodec.Encode(new AddWork("c", 1, new NewWork { WorkType = JobType.Parse("abcdefgh") }));
        var nameOffset = 2 + 2 + 8 + 1 + 1 + 1; // header, "c", at, presence, 0xFF, length
        var patched = bytes[..(nameOffset - 1)].Concat([(byte)name.Length]).Concat(System.Text.Encoding.UTF8.GetBytes(name)).Concat(bytes[(nameOffset + 8)..]).ToArray();

        var error = Assert.Throws<WorkCommandFormatException>(() => WorkCommandCodec.Decode(patched));

        Assert.Contains("work_type", error.Message);
        Assert.Contains(name, error.Message);
    }
}
