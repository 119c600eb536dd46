// Azure Batch jobs and job schedules with typed Job Preparation, Job Release and Job Manager tasks, plan-time validation and precise diffs.
package azurebatchjobs
