// fence: one hart: memory ordering is already sequential
(void)0;
