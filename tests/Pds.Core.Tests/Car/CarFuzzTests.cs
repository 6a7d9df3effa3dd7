using Pds.Core.Car;
using Xunit.Sdk;
using static Pds.Core.Tests.Car.CarTestData;

namespace Pds.Core.Tests.Car;

/// <summary>
/// Seeded random and mutated input for both readers. Whatever the bytes, the only
/// exception allowed out is CarFormatException, and the two readers must agree.
/// </summary>
public class CarFuzzTests
{
    private const int Iterations = 10_000;

    [Fact]
    public async Task Read_SeededRandomBytes_OnlyCarFormatException()
    {
        var random = new Random(20240601);
        var header = CarWriter.ToBytes(Roots(1), []);
        var outcomes = new Outcomes();
        for (var i = 0; i < Iterations; i++)
        {
            var noise = new byte[random.Next(0, 200)];
            random.NextBytes(noise);
            // Half start with a valid header so that the section parser sees the noise too.
            var input = random.Next(2) == 0 ? noise : Concat(header, noise);
            await ReadAsync(input, random, outcomes, i);
        }
        Assert.True(outcomes.Rejected > Iterations / 2);
        Assert.True(outcomes.Reasons.Count >= 10, "the noise should reach many different checks");
    }

    [Fact]
    public async Task Read_SeededMutationsOfValidCar_OnlyCarFormatException()
    {
        var random = new Random(424242);
        var valid = CarWriter.ToBytes(Roots(2), Blocks(6));
        var outcomes = new Outcomes();
        for (var i = 0; i < Iterations; i++)
        {
            var input = valid.ToList();
            var mutations = random.Next(1, 5);
            for (var m = 0; m < mutations; m++)
            {
                Mutate(input, random);
            }
            await ReadAsync([.. input], random, outcomes, i);
        }
        // Both paths must be exercised: some mutations land harmlessly (or unverified), most do not.
        Assert.True(outcomes.Accepted > 0, "no mutated input was accepted");
        Assert.True(outcomes.Rejected > Iterations / 2, "too few mutated inputs were rejected");
        Assert.True(outcomes.Reasons.Count >= 10, "the mutations should reach many different checks");
    }

    private static void Mutate(List<byte> bytes, Random random)
    {
        var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
        switch (random.Next(7))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                // Values that matter to varints and CBOR heads.
                bytes[at] = new byte[] { 0x00, 0x01, 0x7f, 0x80, 0xff, 0x1b, 0x9b, 0xd8 }[random.Next(8)];
                break;
            case 2:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 3:
                var insert = new byte[random.Next(1, 12)];
                random.NextBytes(insert);
                bytes.InsertRange(at, insert);
                break;
            case 4:
                bytes.RemoveRange(at, Math.Min(random.Next(1, 40), bytes.Count - at));
                break;
            case 5:
                var length = Math.Min(random.Next(1, 80), bytes.Count - at);
                bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(at, length));
                break;
            default:
                bytes.AddRange(Enumerable.Repeat((byte)random.Next(256), random.Next(1, 10)));
                break;
        }
    }

    private static async Task ReadAsync(byte[] input, Random random, Outcomes outcomes, int iteration)
    {
        var options = new CarReaderOptions
        {
            // Mostly defaults, so most inputs get past the limits into the parsers.
            VerifyBlockHashes = random.Next(3) != 0,
            MaxBlockLength = random.Next(10) == 0 ? random.Next(1, 64) : CarReaderOptions.Default.MaxBlockLength,
            MaxHeaderLength = random.Next(10) == 0 ? random.Next(1, 128) : CarReaderOptions.Default.MaxHeaderLength,
            MaxBlocks = random.Next(10) == 0 ? random.Next(0, 4) : long.MaxValue,
        };
        var chunk = random.Next(3) == 0 ? random.Next(1, 16) : int.MaxValue;
        try
        {
            var error = await ReadBothAsync(input, options, chunk);
            if (error is null)
            {
                outcomes.Accepted++;
            }
            else
            {
                outcomes.Rejected++;
                // The message up to its first number: enough to tell which check fired.
                var reason = error.Message[(error.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..];
                reason = new string(reason.TakeWhile(c => !char.IsDigit(c)).ToArray());
                outcomes.Reasons[reason] = outcomes.Reasons.GetValueOrDefault(reason) + 1;
            }
        }
        catch (Exception e) when (e is not XunitException)
        {
            throw new XunitException(
                $"iteration {iteration}: {e.GetType().Name} escaped for input {Convert.ToHexString(input)} with {options}, chunk {chunk}", e);
        }
    }

    private sealed class Outcomes
    {
        public int Accepted { get; set; }
        public int Rejected { get; set; }
        public Dictionary<string, int> Reasons { get; } = [];
    }
}
