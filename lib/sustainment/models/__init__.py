"""Models: pure numpy and statsmodels over estimates (uncertainty ranges and draws, trends, the
ammunition supply and manpower stock-flow models, the sweep grid); no files, no words."""
