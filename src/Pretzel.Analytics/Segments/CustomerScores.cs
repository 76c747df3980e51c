namespace Pretzel.Analytics.Segments;

/// <summary>The scores of every buyer, in the event columns' person order, and the segment assignments they make.</summary>
public sealed class CustomerScores
{
    private readonly int[] _buyerOf;

    internal CustomerScores(int personCount, int activePeople, IReadOnlyList<CustomerScore> buyers)
    {
        PersonCount = personCount;
        ActivePeople = activePeople;
        Buyers = buyers;
        _buyerOf = new int[personCount];
        Array.Fill(_buyerOf, -1);
        for (var b = 0; b < buyers.Count; b++)
        {
            _buyerOf[buyers[b].PersonIndex] = b;
        }
    }

    /// <summary>People in the columns.</summary>
    public int PersonCount { get; }

    /// <summary>People with at least one event up to the end of the analysis.</summary>
    public int ActivePeople { get; }

    /// <summary>Every buyer, in person order.</summary>
    public IReadOnlyList<CustomerScore> Buyers { get; }

    /// <summary>The scores of person <paramref name="personIndex"/>, or null when they bought nothing.</summary>
    public CustomerScore? ScoreOf(int personIndex) => _buyerOf[personIndex] is >= 0 and var b ? Buyers[b] : null;

    /// <summary>Each buyer's named RFM segment (<c>segment:rfm</c>).</summary>
    public SegmentAssignment Rfm() => Assign(SegmentAssignment.Rfm, s => s.RfmSegment);

    /// <summary>Each buyer's ABC/XYZ cell (<c>segment:abc_xyz</c>).</summary>
    public SegmentAssignment AbcXyz() => Assign(SegmentAssignment.AbcXyzName, s => s.AbcXyz);

    private SegmentAssignment Assign(string name, Func<CustomerScore, string> label)
    {
        var labels = new string?[PersonCount];
        foreach (var buyer in Buyers)
        {
            labels[buyer.PersonIndex] = label(buyer);
        }

        return new SegmentAssignment(name, labels);
    }
}
