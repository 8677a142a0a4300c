"""Self-check, step 2 (run with /usr/bin/python3, which has scikit-learn):
    /usr/bin/python3 scripts/synth-check/check.py FEATURES.csv
Winsorises each feature at the 1st/99th percentile, z-scores, runs KMeans(n_init=10, random_state=0) for
k = 2..10, picks k by silhouette (on a 10,000-row sample when larger), and prints the ARI against the
personas at the chosen k and at k = 8, plus per-persona feature means and the k=8 contingency table."""
import sys
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score

df = pd.read_csv(sys.argv[1])
features = [c for c in df.columns if c not in ('customer_id', 'persona')]
X = df[features].to_numpy(dtype=float)
lo, hi = np.percentile(X, 1, axis=0), np.percentile(X, 99, axis=0)
X = np.clip(X, lo, hi)
sd = X.std(axis=0)
X = (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1)
truth = df['persona'].to_numpy()
pd.set_option('display.width', 250)
print(df.groupby('persona')[features].mean().round(2).rename(columns=lambda c: c.replace('log_', 'l_')[:12]).to_string())
labels, sil = {}, {}
for k in range(2, 11):
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    labels[k] = km.labels_
    sil[k] = silhouette_score(X, km.labels_, sample_size=min(10000, len(X)), random_state=0)
    print(f'k={k:2d} silhouette={sil[k]:.4f} ARI={adjusted_rand_score(truth, km.labels_):.4f}')
best = max(sil, key=sil.get)
print(f'chosen k={best} silhouette={sil[best]:.4f} ARI={adjusted_rand_score(truth, labels[best]):.4f}; '
      f'ARI at k=8: {adjusted_rand_score(truth, labels[8]):.4f}')
print(pd.crosstab(df['persona'], labels[8]).to_string())
for k in sorted({best - 1, 9} - {8}):
    print(f'--- k={k}')
    print(pd.crosstab(df['persona'], labels[k]).to_string())
