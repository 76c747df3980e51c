namespace Pretzel.Analytics.Prediction;

/// <summary>Every open prospect at the moment of prediction, scored by the three models, and the totals per touch.</summary>
public sealed class ProspectScores
{
    internal ProspectScores(int candidates) => Candidates = candidates;

    internal int Candidates { get; }

    public List<int> Person { get; } = [];

    public List<byte> Stage { get; } = [];

    public List<int> LastTouch { get; } = [];

    public List<long> LastTouchTime { get; } = [];

    /// <summary>Per model (<see cref="PredictionModels.All"/> order): probabilities, best candidate (-1: none) and its uplift.</summary>
    public List<double>[] Probability { get; } = [[], [], []];

    public List<int>[] Best { get; } = [[], [], []];

    public List<double>[] Uplift { get; } = [[], [], []];

    /// <summary>Per model and candidate: the sum of uplifts over every prospect, and for how many it is the best.</summary>
    internal double[][] Gain { get; } = [[], [], []];

    internal long[][] BestFor { get; } = [[], [], []];

    public int Count => Person.Count;

    internal void Append(ProspectScores other)
    {
        Person.AddRange(other.Person);
        Stage.AddRange(other.Stage);
        LastTouch.AddRange(other.LastTouch);
        LastTouchTime.AddRange(other.LastTouchTime);
        for (var m = 0; m < 3; m++)
        {
            Probability[m].AddRange(other.Probability[m]);
            Best[m].AddRange(other.Best[m]);
            Uplift[m].AddRange(other.Uplift[m]);
            if (Gain[m].Length == 0)
            {
                Gain[m] = new double[Candidates];
                BestFor[m] = new long[Candidates];
            }

            for (var c = 0; c < Candidates; c++)
            {
                Gain[m][c] += other.Gain[m].Length == 0 ? 0 : other.Gain[m][c];
                BestFor[m][c] += other.BestFor[m].Length == 0 ? 0 : other.BestFor[m][c];
            }
        }
    }
}
