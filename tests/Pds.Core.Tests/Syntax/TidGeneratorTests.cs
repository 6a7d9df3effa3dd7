using Pds.Core.Syntax;

namespace Pds.Core.Tests.Syntax;

public class TidGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 2, 4, 43, TimeSpan.Zero);

    [Fact]
    public void Next_100kCalls_StrictlyIncreasing()
    {
        var generator = new TidGenerator(7);
        var previous = generator.Next();
        for (var i = 0; i < 100_000; i++)
        {
            var next = generator.Next();
            Assert.True(next > previous, $"call {i}: {next} after {previous}");
            Assert.True(string.CompareOrdinal(next.ToString(), previous.ToString()) > 0);
            previous = next;
        }
    }

    [Fact]
    public void Next_ClockFrozenWithinOneMicrosecond_NeverRepeats()
    {
        var generator = new TidGenerator(3, new ManualTimeProvider(Start));
        var seen = new HashSet<Tid>();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(seen.Add(generator.Next()));
        }
        Assert.Equal(Start.ToUnixTimeMilliseconds() * 1000, seen.Min().TimestampMicroseconds);
    }

    [Fact]
    public void Next_ClockStepsBack_KeepsIncreasingThenFollowsClock()
    {
        var clock = new ManualTimeProvider(Start);
        var generator = new TidGenerator(3, clock);
        var before = generator.Next();
        clock.Advance(TimeSpan.FromSeconds(-30));
        var afterStepBack = generator.Next();
        Assert.True(afterStepBack > before);
        clock.Advance(TimeSpan.FromMinutes(1));
        var caughtUp = generator.Next();
        Assert.Equal((Start + TimeSpan.FromSeconds(30)).ToUnixTimeMilliseconds() * 1000, caughtUp.TimestampMicroseconds);
    }

    [Fact]
    public void Next_DistinctClockIds_DistinctTidsAtSameInstant()
    {
        var clock = new ManualTimeProvider(Start);
        var a = new TidGenerator(1, clock).Next();
        var b = new TidGenerator(2, clock).Next();
        Assert.Equal(a.TimestampMicroseconds, b.TimestampMicroseconds);
        Assert.NotEqual(a, b);
        Assert.Equal((1, 2), (a.ClockId, b.ClockId));
    }

    [Fact]
    public void NextAfter_PreviousInTheFuture_IsStrictlyGreater()
    {
        var generator = new TidGenerator(5, new ManualTimeProvider(Start));
        var future = Tid.FromParts((Start + TimeSpan.FromHours(1)).ToUnixTimeMilliseconds() * 1000, 900);
        var next = generator.NextAfter(future);
        Assert.True(next > future);
        Assert.True(generator.Next() > next); // later calls stay above it too
    }

    [Theory]
    [InlineData(4, 5)] // previous has a smaller clock id: same microsecond sorts after
    [InlineData(5, 5)]
    [InlineData(6, 5)]
    public void NextAfter_SameMicrosecond_IsStrictlyGreater(int previousClockId, int clockId)
    {
        var clock = new ManualTimeProvider(Start);
        var previous = Tid.FromParts(Start.ToUnixTimeMilliseconds() * 1000, previousClockId);
        Assert.True(new TidGenerator(clockId, clock).NextAfter(previous) > previous);
    }

    [Fact]
    public void NextAfter_PreviousInThePast_FollowsClock()
    {
        var generator = new TidGenerator(5, new ManualTimeProvider(Start));
        var next = generator.NextAfter(Tid.FromParts(1, 1));
        Assert.Equal(Start.ToUnixTimeMilliseconds() * 1000, next.TimestampMicroseconds);
    }

    [Fact]
    public void NextAfter_LargestTid_Throws()
    {
        var generator = new TidGenerator(5);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            generator.NextAfter(Tid.FromParts(Tid.MaxMicroseconds, Tid.MaxClockId)));
    }

    [Fact]
    public void Next_ParallelCallers_AllDistinct()
    {
        var generator = new TidGenerator(9, new ManualTimeProvider(Start));
        var bag = new System.Collections.Concurrent.ConcurrentBag<Tid>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 5000; i++)
            {
                bag.Add(generator.Next());
            }
        });
        Assert.Equal(bag.Count, bag.Distinct().Count());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1024)]
    public void Constructor_ClockIdOutOfRange_Throws(int clockId) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TidGenerator(clockId));

    [Fact]
    public void WithRandomClockId_InRange()
    {
        var generator = TidGenerator.WithRandomClockId();
        Assert.InRange(generator.ClockId, 0, Tid.MaxClockId);
        Assert.Equal(generator.ClockId, generator.Next().ClockId);
    }
}
